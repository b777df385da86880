import type { CartwheelRouter as AppRouter } from "@cartwheel/client";
import { httpSubscriptionLink, type TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable, type Unsubscribable } from "@trpc/server/observable";
import { EventSource, type FetchLike } from "eventsource";
import { errorCode } from "./errors.ts";

interface Session {
  getAccessToken(): string | null;
  refresh(): Promise<boolean>;
}

/** Answers that another attempt would only repeat (UNAUTHORIZED is handled by refreshing). */
const FINAL_CODES = new Set(["FORBIDDEN", "BAD_REQUEST", "NOT_FOUND", "TOO_MANY_REQUESTS"]);
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000];
/** At most one refresh per this long, so a server that keeps refusing cannot cause a loop. */
const MIN_REFRESH_INTERVAL_MS = 10_000;

/**
 * Subscriptions over server-sent events. The server authenticates only a bearer header (the
 * refresh cookie is for auth.refresh alone), and the platform EventSource cannot send one,
 * so this uses the `eventsource` package with a fetch that reads the current access token on
 * every (re)connection. The server ends a stream when its token would expire; the EventSource
 * then reconnects with the token AuthStore has refreshed meanwhile, resuming after its last id.
 *
 * When the stream fails outright (a 401 after the tab slept past the token's expiry, a proxy
 * error) this link subscribes again itself, after refreshing the session for a 401, from the
 * last event id it passed on, so no event is lost or repeated. It reports the gap as a
 * "connecting" state with the error, which the live indicator shows as reconnecting.
 */
export function subscriptionLink(url: string, session: Session): TRPCLink<AppRouter> {
  const authenticatedFetch: FetchLike = (input, init) => {
    const token = session.getAccessToken();
    return fetch(input, { ...init, headers: { ...init.headers, ...(token && { authorization: `Bearer ${token}` }) } });
  };
  const sse = httpSubscriptionLink<AppRouter, typeof EventSource>({
    url,
    EventSource,
    eventSourceOptions: () => ({ fetch: authenticatedFetch }),
  });
  return (runtime) => {
    const stream = sse(runtime);
    return ({ op, next }) =>
      observable((observer) => {
        let lastEventId: string | null = null;
        let inner: Unsubscribable | null = null;
        let timer: ReturnType<typeof setTimeout> | null = null;
        let failures = 0;
        let lastRefreshAt = 0;
        let closed = false;

        const connect = () => {
          if (closed) return;
          const input = lastEventId === null ? op.input : { ...(op.input as object), lastEventId };
          inner = stream({ op: { ...op, input }, next }).subscribe({
            next(envelope) {
              const result = envelope.result;
              if (result.type === "started") failures = 0;
              if (result.type === "data" && typeof result.id === "string") lastEventId = result.id;
              observer.next(envelope);
            },
            error: (error) => retry(error),
            complete: () => observer.complete(),
          });
        };

        const retry = (error: TRPCClientError<AppRouter>) => {
          const code = errorCode(error);
          if (closed) return;
          if (code !== null && FINAL_CODES.has(code)) return observer.error(error);
          observer.next({ result: { type: "state", state: "connecting", error } });
          if (code === "UNAUTHORIZED") {
            if (Date.now() - lastRefreshAt < MIN_REFRESH_INTERVAL_MS) return observer.error(error);
            lastRefreshAt = Date.now();
            // A failed refresh signs the user out (AuthStore), which unmounts the subscriber.
            void session.refresh().then((signedIn) => (signedIn ? connect() : observer.error(error)));
            return;
          }
          const delay = RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)]!;
          failures += 1;
          timer = setTimeout(connect, delay);
        };

        connect();
        return () => {
          closed = true;
          if (timer) clearTimeout(timer);
          inner?.unsubscribe();
        };
      });
  };
}
