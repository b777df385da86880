import autocannon from "autocannon";

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
}

export interface LoadOptions {
  url: string;
  path: string;
  connections: number;
  seconds: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** Builds each request's body; `connection` is per-connection state that persists across its requests. */
  body?: (connection: Record<string, unknown>) => string;
}

/**
 * One autocannon burst from this process against a server in another. Anything but 2xx
 * is a broken setup (e.g. a rate limit still rejecting), never a data point: it throws.
 */
export async function drive(options: LoadOptions): Promise<LoadResult> {
  const { body } = options;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    requests: [
      {
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
        ...(body ? { setupRequest: (request, context) => ({ ...request, body: body(context) }) } : {}),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${options.method ?? "GET"} ${options.path}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  if (result.requests.total === 0) throw new Error(`${options.path}: no request completed`);
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
  };
}

export const median = (values: readonly number[]): number => {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
