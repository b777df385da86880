import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import type { useTRPC } from "../../lib/trpc.ts";
import type { OrderEvent } from "./use-order-events.ts";

type TRPC = ReturnType<typeof useTRPC>;

type EventOrder = OrderEvent["order"];
interface Versioned {
  id: string;
  version: number;
}
interface Page<T> {
  items: T[];
}

/** The cached order with the event's state laid over it, unless the cache already holds a later version. */
export function patchOrder<T extends Versioned>(cached: T, order: EventOrder): T {
  return cached.id === order.id && order.version >= cached.version ? { ...cached, ...order } : cached;
}

/** Patches the order wherever it appears in the pages of a cached infinite list. */
export function patchPages<T extends Versioned>(
  data: InfiniteData<Page<T>> | undefined,
  order: EventOrder,
): InfiniteData<Page<T>> | undefined {
  if (!data?.pages.some((page) => page.items.some((item) => item.id === order.id))) return data;
  return {
    ...data,
    pages: data.pages.map((page) => ({ ...page, items: page.items.map((i) => patchOrder(i, order)) })),
  };
}

/**
 * Applies an event to every cached copy of its order right away (the order page and both
 * lists), then invalidates them: active ones refetch in the background for what an event
 * cannot say alone (the status history, a new order's place in a list, whether an order
 * still matches the staff filter, the transitions now allowed); inactive ones become stale.
 */
export function applyOrderEvent(queryClient: QueryClient, trpc: TRPC, event: OrderEvent): void {
  const detail = trpc.orders.byId.queryKey({ id: event.orderId });
  queryClient.setQueryData(detail, (cached) => cached && patchOrder(cached, event.order));
  for (const list of [trpc.orders.mine.pathKey(), trpc.orders.list.pathKey()]) {
    queryClient.setQueriesData<InfiniteData<Page<Versioned>>>({ queryKey: list }, (data) =>
      patchPages(data, event.order),
    );
  }
  for (const queryKey of [detail, trpc.orders.mine.pathKey(), trpc.orders.list.pathKey()]) {
    void queryClient.invalidateQueries({ queryKey });
  }
}
