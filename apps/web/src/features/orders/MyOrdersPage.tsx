import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { LoadMore } from "../../components/LoadMore.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { RequireAuth } from "../../components/RequireAuth.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import { formatMoney } from "../../lib/money.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { LiveIndicator } from "./LiveIndicator.tsx";
import { applyOrderEvent } from "./order-cache.ts";
import { shortOrderId } from "@cartwheel/contracts/order-reference";
import { StatusBadge } from "./StatusBadge.tsx";
import { useOrderEvents } from "./use-order-events.ts";
import { usePageTitle } from "../../lib/page-title.ts";

export function MyOrdersPage() {
  usePageTitle("My orders");
  return (
    <RequireAuth reason="Sign in to see your orders.">
      <MyOrders />
    </RequireAuth>
  );
}

function MyOrders() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const live = useOrderEvents({}, (event) => applyOrderEvent(queryClient, trpc, event));
  const query = useInfiniteQuery(
    trpc.orders.mine.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const orders = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section>
      <h1>My orders</h1>
      <LiveIndicator state={live} />
      <QueryState query={query} label="your orders">
        {() =>
          orders.length === 0 ? (
            <p className="status">
              You have no orders yet. <Link to="/">Browse the catalog</Link>
            </p>
          ) : (
            <>
              <ul className="order-list" aria-label="Orders">
                {orders.map((order) => (
                  <li key={order.id} className="card order-row">
                    <Link to="/orders/$id" params={{ id: order.id }}>
                      Order {shortOrderId(order.id)}
                    </Link>
                    <span>{formatDateTime(order.createdAt)}</span>
                    <span>{formatMoney(order.totalCents, order.currency)}</span>
                    <StatusBadge status={order.status} />
                  </li>
                ))}
              </ul>
              <LoadMore query={query} />
            </>
          )
        }
      </QueryState>
    </section>
  );
}
