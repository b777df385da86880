import type { RouterOutputs } from "@cartwheel/client";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { FormError } from "../../components/FormError.tsx";
import { LoadMore } from "../../components/LoadMore.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import { formatMoney } from "../../lib/money.ts";
import { useTRPC } from "../../lib/trpc.ts";
import {
  orderStatuses,
  shortOrderId,
  statusLabels,
  transitionLabels,
  type OrderStatus,
} from "../orders/order-status.ts";
import { LiveIndicator } from "../orders/LiveIndicator.tsx";
import { applyOrderEvent } from "../orders/order-cache.ts";
import { StatusBadge } from "../orders/StatusBadge.tsx";
import { useOrderEvents } from "../orders/use-order-events.ts";
import { usePageTitle } from "../../lib/page-title.ts";

type Order = RouterOutputs["orders"]["list"]["items"][number];

export function StaffOrdersPage() {
  usePageTitle("Orders · Staff");
  const trpc = useTRPC();
  const { status } = useSearch({ from: "/staff/orders" });
  const navigate = useNavigate({ from: "/staff/orders" });
  const queryClient = useQueryClient();
  // Every order, whatever the filter: an order leaving the filtered status must leave the list.
  const live = useOrderEvents({}, (event) => applyOrderEvent(queryClient, trpc, event));
  const query = useInfiniteQuery(
    trpc.orders.list.infiniteQueryOptions(
      { limit: 50, ...(status ? { status } : {}) },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const orders = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="staff-orders-title" className="stack">
      <h2 id="staff-orders-title">Orders</h2>
      <LiveIndicator state={live} />
      <div className="field">
        <label htmlFor="status-filter">Status</label>
        <select
          id="status-filter"
          value={status ?? ""}
          onChange={(e) =>
            void navigate({ search: { status: (e.target.value || undefined) as OrderStatus | undefined } })
          }
        >
          <option value="">All</option>
          {orderStatuses.map((s) => (
            <option key={s} value={s}>
              {statusLabels[s]}
            </option>
          ))}
        </select>
      </div>
      <QueryState query={query} label="orders">
        {() =>
          orders.length === 0 ? (
            <p className="status">No orders.</p>
          ) : (
            <>
              <ul className="staff-list" aria-label="Orders">
                {orders.map((order) => (
                  <StaffOrderRow key={order.id} order={order} />
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

function StaffOrderRow({ order }: { order: Order }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.orders.updateStatus.mutationOptions({
      // On success or a lost race (CONFLICT), show the order as it now is.
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() }),
    }),
  );
  const label = `Order ${shortOrderId(order.id)}`;
  return (
    <li className="card staff-row" aria-label={label} data-order-id={order.id}>
      <div className="staff-row-head">
        <strong>{label}</strong>
        <span>{formatDateTime(order.createdAt)}</span>
        <span>{formatMoney(order.totalCents, order.currency)}</span>
        <StatusBadge status={order.status} />
      </div>
      <p className="muted">{order.items.map((item) => `${item.quantity} × ${item.productName}`).join(", ")}</p>
      <div className="actions">
        {order.allowedTransitions.map((next) => (
          <button
            key={next}
            type="button"
            disabled={update.isPending}
            onClick={() => update.mutate({ id: order.id, status: next, expectedVersion: order.version })}
          >
            {transitionLabels[next]}
          </button>
        ))}
      </div>
      <FormError error={update.error} />
    </li>
  );
}
