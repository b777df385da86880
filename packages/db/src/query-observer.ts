/** Receives the wall time of every statement, for the query-duration histogram. Must not throw. */
export type QueryObserver = (durationMs: number) => void;

type QueryFn = (...args: unknown[]) => unknown;

function report(onQuery: QueryObserver, started: number): void {
  try {
    onQuery(performance.now() - started);
  } catch {
    // Metrics must never break a query.
  }
}

/**
 * Times every statement a `pg` client runs. Hooked on each new pooled client, so it sees
 * pool.query (callback style, used by pg-pool) and drizzle's promise-style calls inside
 * transactions alike. Streaming submittables (cursors) are passed through untimed.
 */
export function observePgClient(client: { query: QueryFn }, onQuery: QueryObserver): void {
  const original = client.query.bind(client);
  client.query = (...args: unknown[]) => {
    const started = performance.now();
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (...results: unknown[]) => {
        report(onQuery, started);
        return (callback as QueryFn)(...results);
      };
      return original(...args);
    }
    const result = original(...args);
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => (report(onQuery, started), value),
        (error: unknown) => {
          report(onQuery, started);
          throw error;
        },
      );
    }
    return result;
  };
}

/** Wraps a synchronous statement runner (SQLite) with the same observer. */
export function observeSync<Args extends unknown[], Result>(
  run: (...args: Args) => Result,
  onQuery: QueryObserver | undefined,
): (...args: Args) => Result {
  if (!onQuery) return run;
  return (...args) => {
    const started = performance.now();
    try {
      return run(...args);
    } finally {
      report(onQuery, started);
    }
  };
}
