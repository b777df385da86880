/** Receives the wall time of every statement, for the query-duration histogram. Must not throw. */
export type QueryObserver = (durationMs: number) => void;

/**
 * Starts a trace span for one statement from its SQL text (never its parameter values) and
 * returns what ends it, or undefined when the statement is not traced. Must not throw.
 */
export type StatementTracer = (sql: string) => ((error?: unknown) => void) | undefined;

type QueryFn = (...args: unknown[]) => unknown;

/** pg's query(text, ...) or query({ text, values }): the text only. */
function sqlText(first: unknown): string | undefined {
  if (typeof first === "string") return first;
  const text = (first as { text?: unknown } | null)?.text;
  return typeof text === "string" ? text : undefined;
}

function traceStart(traceStatement: StatementTracer | undefined, sql: string | undefined) {
  if (!traceStatement || sql === undefined) return undefined;
  try {
    return traceStatement(sql);
  } catch {
    return undefined; // Tracing must never break a query.
  }
}

function report(
  onQuery: QueryObserver | undefined,
  started: number,
  end?: (error?: unknown) => void,
  error?: unknown,
): void {
  try {
    end?.(error);
    onQuery?.(performance.now() - started);
  } catch {
    // Metrics must never break a query.
  }
}

/**
 * Times every statement a `pg` client runs. Hooked on each new pooled client, so it sees
 * pool.query (callback style, used by pg-pool) and drizzle's promise-style calls inside
 * transactions alike. Streaming submittables (cursors) are passed through untimed.
 */
export function observePgClient(
  client: { query: QueryFn },
  onQuery: QueryObserver | undefined,
  traceStatement?: StatementTracer,
): void {
  const original = client.query.bind(client);
  client.query = (...args: unknown[]) => {
    const started = performance.now();
    const end = traceStart(traceStatement, sqlText(args[0]));
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (...results: unknown[]) => {
        report(onQuery, started, end, results[0] ?? undefined);
        return (callback as QueryFn)(...results);
      };
      return original(...args);
    }
    const result = original(...args);
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => (report(onQuery, started, end), value),
        (error: unknown) => {
          report(onQuery, started, end, error);
          throw error;
        },
      );
    }
    end?.();
    return result;
  };
}

/** Wraps a synchronous statement runner (SQLite, SQL text first) with the same observers. */
export function observeSync<Args extends [string, ...unknown[]], Result>(
  run: (...args: Args) => Result,
  onQuery: QueryObserver | undefined,
  traceStatement?: StatementTracer,
): (...args: Args) => Result {
  if (!onQuery && !traceStatement) return run;
  return (...args) => {
    const started = performance.now();
    const end = traceStart(traceStatement, args[0]);
    let failure: unknown;
    try {
      return run(...args);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      report(onQuery, started, end, failure);
    }
  };
}
