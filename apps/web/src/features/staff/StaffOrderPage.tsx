import type { RouterOutputs } from "@cartwheel/client";
import { shortOrderId } from "@cartwheel/contracts/order-reference";
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { NotFoundPage } from "../../components/NotFoundPage.tsx";
import { isMissing, QueryState } from "../../components/QueryState.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import { usePageTitle } from "../../lib/page-title.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { AddressView } from "../addresses/AddressView.tsx";
import { LiveIndicator } from "../orders/LiveIndicator.tsx";
import { applyOrderEvent } from "../orders/order-cache.ts";
import { statusLabels } from "../orders/order-status.ts";
import { OrderItemsTable } from "../orders/OrderItemsTable.tsx";
import { ShipmentDetails } from "../orders/ShipmentDetails.tsx";
import { StatusBadge } from "../orders/StatusBadge.tsx";
import { useOrderEvents } from "../orders/use-order-events.ts";
import { useAuth } from "../../lib/auth-context.tsx";
import { CustomerName } from "./CustomerName.tsx";
import { EraseCustomer } from "./EraseCustomer.tsx";
import { OrderTransitions } from "./OrderTransitions.tsx";

type OrderEvent = RouterOutputs["orders"]["byId"]["events"][number];

const roleLabels: Record<NonNullable<OrderEvent["actor"]>["role"], string> = {
  customer: "customer",
  staff: "staff",
  admin: "admin",
};

/** Who made a change: a person with their role, the shop's own expiry, or an account since erased. */
function actorOf(event: OrderEvent): string {
  if (event.actor) return `${event.actor.name} (${roleLabels[event.actor.role]})`;
  return event.actorId ? "A removed account" : "Shop (automatic)";
}

/** One order as staff handle it: what was bought, by whom, where it goes, its history and next steps. */
export function StaffOrderPage() {
  const { orderId } = useParams({ from: "/staff/orders/$orderId" });
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.orders.byId.queryOptions({ id: orderId }));
  // byId has no next steps; the list has them from the server's state machine, for this one id.
  // Infinite like every cached orders.list, so live events patch it the same way (order-cache.ts).
  const steps = useInfiniteQuery(
    trpc.orders.list.infiniteQueryOptions(
      { reference: orderId, limit: 1 },
      { getNextPageParam: () => undefined, enabled: !isMissing(query.error) },
    ),
  );
  const reference = shortOrderId(orderId);
  usePageTitle(isMissing(query.error) ? "Order not found · Staff" : `Order ${reference} · Staff`);
  const live = useOrderEvents({ orderId }, (event) => applyOrderEvent(queryClient, trpc, event));
  const row = steps.data?.pages[0]?.items[0];
  // Only admins may erase (the server checks too); staff would only meet a refusal.
  const isAdmin = useAuth().user?.role === "admin";

  return (
    <section aria-labelledby="staff-order-title" className="stack staff-order">
      <p>
        <Link to="/staff/orders">← Orders</Link>
      </p>
      <LiveIndicator state={live} />
      <QueryState
        query={query}
        label="this order"
        notFound={
          <NotFoundPage title="Order not found">
            <p>
              No order has this id. <Link to="/staff/orders">Search the orders</Link>.
            </p>
          </NotFoundPage>
        }
      >
        {() => {
          const order = query.data!;
          return (
            <>
              <h2 id="staff-order-title">Order {reference}</h2>
              <p>
                Status: <StatusBadge status={order.status} /> · Placed {formatDateTime(order.createdAt)}
              </p>
              <div className="staff-order-grid">
                <section aria-labelledby="customer-title" className="card">
                  <h3 id="customer-title">Customer</h3>
                  <p className="customer-name">
                    <CustomerName customer={order.customer} />
                  </p>
                  {order.customer.email && <a href={`mailto:${order.customer.email}`}>{order.customer.email}</a>}
                  {isAdmin && <EraseCustomer customer={order.customer} />}
                </section>
                <section aria-labelledby="ship-to-title" className="card">
                  <h3 id="ship-to-title">Ship to</h3>
                  {order.shippingAddress ? (
                    <AddressView address={order.shippingAddress} />
                  ) : (
                    <p className="warning">No shipping address</p>
                  )}
                  {order.shipment && <ShipmentDetails shipment={order.shipment} />}
                </section>
              </div>
              <OrderItemsTable order={order} />
              <section aria-labelledby="next-steps-title">
                <h3 id="next-steps-title">Next steps</h3>
                {/* Patched by live events like the list page's rows; the version makes the server refuse a step decided on an outdated copy. */}
                <QueryState query={steps} label="the next steps">
                  {() =>
                    row && row.allowedTransitions.length > 0 ? (
                      <OrderTransitions order={row} />
                    ) : (
                      <p className="muted">None: this order is closed.</p>
                    )
                  }
                </QueryState>
              </section>
              <section aria-labelledby="history-title">
                <h3 id="history-title">Status history</h3>
                <ol className="history timeline" aria-labelledby="history-title">
                  {order.events.map((event, index) => (
                    <li key={index} className="card">
                      <strong>
                        {event.fromStatus ? `${statusLabels[event.fromStatus]} → ` : "Placed: "}
                        {statusLabels[event.toStatus]}
                      </strong>
                      <span>by {actorOf(event)}</span>
                      <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
                    </li>
                  ))}
                </ol>
              </section>
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
