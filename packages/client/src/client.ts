import {
  createTRPCClient,
  createTRPCUntypedClient,
  httpLink,
  retryLink,
  splitLink,
  type TRPCClient,
} from "@trpc/client";
import type { CallContext, RetryPolicy } from "./links.ts";
import { requestIdLink, retryDelayMs, sessionLink, shouldRetry } from "./links.ts";
import type { CartwheelRouter } from "./router.ts";
import { TokenSession } from "./session.ts";
import { subscriptionLink } from "./subscriptions.ts";
import type { CartwheelTokens } from "./tokens.ts";

export interface CartwheelClientOptions {
  /** The server's base URL (`http://localhost:3000`); `/trpc` is appended unless present. */
  readonly url: string;
  /** Service-to-service key, sent as `X-API-Key`. Takes precedence over tokens. */
  readonly apiKey?: string | undefined;
  /** Tokens from an earlier token-transport login, e.g. loaded from disk. */
  readonly tokens?: CartwheelTokens | null | undefined;
  /** Called whenever the tokens change (login, refresh, logout, or null when the session ended). */
  readonly onTokens?: ((tokens: CartwheelTokens | null) => void) | undefined;
  /** A `fetch` to send requests with (the global one by default). */
  readonly fetch?: FetchOption | undefined;
  /** Extra headers for every request (e.g. a User-Agent). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  /**
   * The `traceparent` for each call: an application with OpenTelemetry of its own returns its
   * active span's. By default every call starts a new trace of its own.
   */
  readonly traceparent?: (() => string | undefined) | undefined;
  /** Clock for token expiry; tests pass a fake one. */
  readonly now?: (() => number) | undefined;
}

export type CartwheelClient = TRPCClient<CartwheelRouter>;

// httpLink's own option type. tRPC's exported TRPCFetch takes `url: string` only, which
// is not assignable to that option where the DOM's `RequestInfo` is in scope (a web app).
type FetchOption = NonNullable<Parameters<typeof httpLink<CartwheelRouter>>[0]>["fetch"];

const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 200, maxDelayMs: 3_000 };
const REFRESH_LEEWAY_MS = 30_000;

/** A typed tRPC client for the Cartwheel API: `client.catalog.list.query({ limit: 10 })`. */
export function createCartwheelClient(options: CartwheelClientOptions): CartwheelClient {
  const url = trpcUrl(options.url);
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const transport = httpLink<CartwheelRouter>({
    url,
    fetch: options.fetch,
    headers: ({ op }) => requestHeaders(options, op.context),
  });

  // Refreshes go straight to the transport: they must not wait on the session they renew.
  const refresher = createTRPCUntypedClient<CartwheelRouter>({
    links: [requestIdLink(options.traceparent), transport],
  });
  const session = options.apiKey
    ? null
    : new TokenSession({
        initial: options.tokens ?? null,
        onTokens: options.onTokens,
        refresh: (refreshToken) => refresher.mutation("auth.refresh", { refreshToken }),
        now: options.now ?? Date.now,
        leewayMs: REFRESH_LEEWAY_MS,
      });

  // Subscriptions authenticate each (re)connection themselves, with a token renewed when due.
  const subscriptions = subscriptionLink({
    url,
    fetch: options.fetch as never,
    headers: async () => {
      const accessToken = session
        ? await session.accessTokenForRequest().catch(() => session.tokens?.accessToken)
        : null;
      return requestHeaders(options, { accessToken: accessToken ?? null });
    },
  });
  return createTRPCClient<CartwheelRouter>({
    links: [
      requestIdLink(options.traceparent),
      splitLink({
        condition: (op) => op.type === "subscription",
        true: subscriptions,
        false: [
          retryLink({
            retry: ({ op, error, attempts }) => shouldRetry(op, error, attempts, policy),
            retryDelayMs: (attempt) => retryDelayMs(attempt, policy),
          }),
          sessionLink(session),
          transport,
        ],
      }),
    ],
  });
}

function trpcUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, "");
  return trimmed.endsWith("/trpc") ? trimmed : `${trimmed}/trpc`;
}

function requestHeaders(options: CartwheelClientOptions, context: CallContext): Record<string, string> {
  const headers: Record<string, string> = { ...options.headers };
  if (context.requestId) headers["x-request-id"] = context.requestId;
  if (context.traceparent) headers.traceparent = context.traceparent;
  if (options.apiKey) headers["x-api-key"] = options.apiKey;
  else if (context.accessToken) headers.authorization = `Bearer ${context.accessToken}`;
  return headers;
}
