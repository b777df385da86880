import { httpSubscriptionLink, type TRPCLink } from "@trpc/client";
import { EventSource, type FetchLike } from "eventsource";
import type { CartwheelRouter } from "./router.ts";

export interface SubscriptionLinkOptions {
  /** The /trpc endpoint. */
  url: string;
  /** The fetch each (re)connection is made with. */
  fetch?: FetchLike | undefined;
  /**
   * Headers for one connection attempt. Asked again on every reconnection, so a stream that
   * outlives its access token reconnects with a fresh one (the server ends streams when their
   * token would expire, and the EventSource resumes after its last event id).
   */
  headers: () => Promise<Record<string, string>>;
}

/**
 * Subscriptions over server-sent events (`client.orders.events.subscribe(...)`). It uses the
 * `eventsource` package rather than the platform's EventSource, which cannot send an
 * Authorization header and is missing from Node; it works in browsers too.
 */
export function subscriptionLink(options: SubscriptionLinkOptions): TRPCLink<CartwheelRouter> {
  const send = options.fetch ?? globalThis.fetch;
  const authenticatedFetch: FetchLike = async (url, init) => {
    const headers = await options.headers();
    return send(url, { ...init, headers: { ...init.headers, ...headers } });
  };
  return httpSubscriptionLink<CartwheelRouter, typeof EventSource>({
    url: options.url,
    EventSource,
    eventSourceOptions: () => ({ fetch: authenticatedFetch }),
  });
}
