import type { RouterOutputs } from "@cartwheel/client";
import { shortOrderId } from "@cartwheel/contracts/order-reference";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { LoadMore } from "../../components/LoadMore.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import { fieldErrorsOf } from "../../lib/errors.ts";
import { formatMoney } from "../../lib/money.ts";
import { usePageTitle } from "../../lib/page-title.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { LiveIndicator } from "../orders/LiveIndicator.tsx";
import { applyOrderEvent } from "../orders/order-cache.ts";
import { StatusBadge } from "../orders/StatusBadge.tsx";
import { useOrderEvents } from "../orders/use-order-events.ts";
import { CustomerName } from "./CustomerName.tsx";
import { OrderSearchForm } from "./OrderSearchForm.tsx";
import { OrderTransitions } from "./OrderTransitions.tsx";
import { searchFieldOf, toOrderListInput, type StaffOrderSearch } from "./staff-order-search.ts";

type Order = RouterOutputs["orders"]["list"]["items"][number];

export function StaffOrdersPage() {
  usePageTitle("Orders · Staff");
  const trpc = useTRPC();
  const search = useSearch({ from: "/staff/orders" });
  const navigate = useNavigate({ from: "/staff/orders" });
  const queryClient = useQueryClient();
  // Every order, whatever the search: an order leaving the searched status must leave the list.
  const live = useOrderEvents({}, (event) => applyOrderEvent(queryClient, trpc, event));
  const query = useInfiniteQuery(
    trpc.orders.list.infiniteQueryOptions(toOrderListInput(search), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  );
  const orders = query.data?.pages.flatMap((page) => page.items) ?? [];
  // A search the server refuses (an id that is not one) is answered at its field, not as a failed load.
  const errors: Partial<Record<keyof StaffOrderSearch, string[]>> = {};
  for (const [key, messages] of Object.entries(fieldErrorsOf(query.error))) {
    const field = searchFieldOf[key];
    if (field) errors[field] = messages;
  }
  const refused = Object.keys(errors).length > 0;
  const searching = Object.keys(search).length > 0;

  return (
    <section aria-labelledby="staff-orders-title" className="stack">
      <h2 id="staff-orders-title">Orders</h2>
      <LiveIndicator state={live} />
      <OrderSearchForm search={search} errors={errors} onSearch={(next) => void navigate({ search: next })} />
      {refused ? (
        <p className="form-error" role="alert">
          Check the highlighted search fields.
        </p>
      ) : (
        <QueryState query={query} label="orders">
          {() =>
            orders.length === 0 ? (
              <p className="status" role="status">
                {searching ? "No orders match this search." : "No orders."}
              </p>
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
      )}
    </section>
  );
}

function StaffOrderRow({ order }: { order: Order }) {
  const label = `Order ${shortOrderId(order.id)}`;
  return (
    <li className="card staff-row" aria-label={label} data-order-id={order.id}>
      <div className="staff-row-head">
        <Link to="/staff/orders/$orderId" params={{ orderId: order.id }}>
          <strong>{label}</strong>
        </Link>
        <span>{formatDateTime(order.createdAt)}</span>
        <span>{formatMoney(order.totalCents, order.currency)}</span>
        <StatusBadge status={order.status} />
      </div>
      <p className="customer-line">
        <CustomerName customer={order.customer} />
        {order.customer.email && <span className="muted"> · {order.customer.email}</span>}
        {!order.hasShippingAddress && <span className="badge badge-low">No shipping address</span>}
      </p>
      <p className="muted">{order.items.map((item) => `${item.quantity} × ${item.productName}`).join(", ")}</p>
      <OrderTransitions order={order} />
    </li>
  );
}
