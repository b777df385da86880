// Bulk commands (export, import, --all listings) make more calls than the server's per-minute
// limit allows. Rather than fail on the server's 429, every authenticated request waits out
// the Retry-After the server sends and goes again; the server refused it before running
// it, so repeating a mutation cannot apply it twice.

/** Longer waits (e.g. an auth lockout) are an answer to show, not to sit out. */
const MAX_WAIT_SECONDS = 120;
/** A request still refused after this many waits fails with the server's answer. */
const MAX_WAITS_PER_REQUEST = 5;

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface RateLimitWait {
  readonly seconds: number;
  /** The limit the server named in RateLimit-Limit, if any. */
  readonly limit: number | null;
}

export interface WaitingFetchOptions {
  readonly onWait: (wait: RateLimitWait) => void;
  readonly fetch?: Fetch;
  readonly sleep?: (ms: number, signal?: AbortSignal | null) => Promise<void>;
  readonly now?: () => number;
}

/** A fetch that answers a 429 carrying Retry-After by waiting that long and repeating the request. */
export function fetchWaitingOutRateLimits(options: WaitingFetchOptions): Fetch {
  const send = options.fetch ?? ((url, init) => fetch(url, init));
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  return async (url, init) => {
    for (let waits = 0; ; waits++) {
      const response = await send(url, init);
      if (response.status !== 429 || waits >= MAX_WAITS_PER_REQUEST) return response;
      const seconds = retryAfterSeconds(response.headers.get("retry-after"), now());
      if (seconds === null || seconds > MAX_WAIT_SECONDS) return response;
      await response.body?.cancel();
      const limit = Number.parseInt(response.headers.get("ratelimit-limit") ?? "", 10);
      options.onWait({ seconds, limit: Number.isSafeInteger(limit) ? limit : null });
      await sleep(seconds * 1000, init?.signal);
    }
  };
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function abortableSleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
