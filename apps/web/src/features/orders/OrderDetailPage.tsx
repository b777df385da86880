import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { shortOrderId } from "@cartwheel/contracts/order-reference";
import { Link, useParams, useSearch } from "@tanstack/react-router";
import { FormError } from "../../components/FormError.tsx";
import { NotFoundPage } from "../../components/NotFoundPage.tsx";
import { isMissing, QueryState } from "../../components/QueryState.tsx";
import { RequireAuth } from "../../components/RequireAuth.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import { usePageTitle } from "../../lib/page-title.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { AddressView } from "../addresses/AddressView.tsx";
import { LiveIndicator } from "./LiveIndicator.tsx";
import { applyOrderEvent } from "./order-cache.ts";
import { statusLabels } from "./order-status.ts";
import { OrderItemsTable } from "./OrderItemsTable.tsx";
import { ShipmentDetails } from "./ShipmentDetails.tsx";
import { StatusBadge } from "./StatusBadge.tsx";
import { useOrderEvents } from "./use-order-events.ts";

export function OrderDetailPage() {
  return (
    <RequireAuth reason="Sign in to see this order.">
      <OrderDetail />
    </RequireAuth>
  );
}

function OrderDetail() {
  const { id } = useParams({ from: "/orders/$id" });
  const { placed } = useSearch({ from: "/orders/$id" });
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.orders.byId.queryOptions({ id }));
  usePageTitle(isMissing(query.error) ? "Order not found" : `Order ${shortOrderId(id)}`);
  const live = useOrderEvents({ orderId: id }, (event) => applyOrderEvent(queryClient, trpc, event));
  const cancel = useMutation(
    trpc.orders.cancel.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() }),
    }),
  );

  return (
    <section>
      <p>
        <Link to="/orders">← My orders</Link>
      </p>
      <LiveIndicator state={live} />
      {placed && (
        <p className="success" role="status">
          Thank you! Your order has been placed.
        </p>
      )}
      <QueryState
        query={query}
        label="this order"
        notFound={
          <NotFoundPage title="Order not found">
            <p>
              No order of yours has this number. <Link to="/orders">See your orders</Link>.
            </p>
          </NotFoundPage>
        }
      >
        {() => {
          const order = query.data!;
          return (
            <article className="order-detail">
              <h1>Order {shortOrderId(order.id)}</h1>
              <p>
                Status: <StatusBadge status={order.status} /> · Placed {formatDateTime(order.createdAt)}
              </p>
              <OrderItemsTable order={order} />
              <h2>Shipping to</h2>
              {order.shippingAddress ? (
                <AddressView address={order.shippingAddress} />
              ) : (
                <p className="muted">No shipping address was given for this order.</p>
              )}
              {/* Staff set it when marking the order shipped, so it is there once the parcel is on its way. */}
              {order.shipment && (
                <>
                  <h2>Shipment</h2>
                  <ShipmentDetails shipment={order.shipment} />
                </>
              )}
              <h2>Status history</h2>
              <ol className="history" aria-label="Status history">
                {order.events.map((event, index) => (
                  <li key={index}>
                    <span>{event.fromStatus ? `${statusLabels[event.fromStatus]} → ` : "Placed: "}</span>
                    <strong>{statusLabels[event.toStatus]}</strong> <span>{formatDateTime(event.createdAt)}</span>
                  </li>
                ))}
              </ol>
              {order.status === "pending" && (
                <p>
                  <button type="button" onClick={() => cancel.mutate({ id: order.id })} disabled={cancel.isPending}>
                    Cancel order
                  </button>
                </p>
              )}
              <FormError error={cancel.error} />
            </article>
          );
        }}
      </QueryState>
    </section>
  );
}
