import type { RouterOutputs, SubscriptionEvent } from "@cartwheel/client";
import { useEffect, useRef, useState } from "react";
import { useTRPCClient } from "../../lib/trpc.ts";
import type { OrderStatus } from "./order-status.ts";

/** One orders.events event: what changed, and the order's new state. */
export type OrderEvent = SubscriptionEvent<RouterOutputs["orders"]["events"]>["data"];

export interface OrderEventsFilter {
  orderId?: string | undefined;
  status?: OrderStatus | undefined;
}

/** "stopped": the server refused the stream for good (e.g. too many open); a reload retries. */
export type LiveState = "connecting" | "live" | "reconnecting" | "stopped";

/**
 * Follows orders.events while the calling page is mounted and calls `onEvent` for each
 * event; returns the connection's state for the live indicator. Reconnection, resuming and
 * token refresh happen in the subscription link, so a page only handles events.
 */
export function useOrderEvents(filter: OrderEventsFilter, onEvent: (event: OrderEvent) => void): LiveState {
  const client = useTRPCClient();
  const [state, setState] = useState<LiveState>("connecting");
  // The latest callback without resubscribing on every render.
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });

  const { orderId, status } = filter;
  useEffect(() => {
    // A new subscription reports "connecting" first, so the indicator never shows a stale "Live".
    const subscription = client.orders.events.subscribe(
      { ...(orderId && { orderId }), ...(status && { status }) },
      {
        onConnectionStateChange: (connection) => {
          if (connection.state === "pending") setState("live");
          else if (connection.state === "connecting") setState(connection.error ? "reconnecting" : "connecting");
        },
        onData: ({ data }) => handler.current(data),
        onError: () => setState("stopped"),
      },
    );
    return () => subscription.unsubscribe();
  }, [client, orderId, status]);

  return state;
}
