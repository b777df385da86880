import type { RouterOutputs } from "@cartwheel/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FormError } from "../../components/FormError.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import { useTRPC } from "../../lib/trpc.ts";

type Delivery = RouterOutputs["webhooks"]["deliveries"][number];

/** The newest deliveries to one endpoint, each with its attempts and a Redeliver. */
export function DeliveriesView({ endpointId }: { endpointId: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.webhooks.deliveries.queryOptions({ endpointId, limit: 20 }));
  const deliveries = query.data ?? [];
  return (
    <section className="stack" aria-labelledby={`${endpointId}-deliveries-title`}>
      <div className="actions">
        <h4 id={`${endpointId}-deliveries-title`}>Recent deliveries</h4>
        <button type="button" onClick={() => void query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <QueryState query={query} label="deliveries">
        {() =>
          deliveries.length === 0 ? (
            <p className="status">No deliveries yet.</p>
          ) : (
            <ul className="staff-list" aria-label="Deliveries">
              {deliveries.map((delivery) => (
                <DeliveryRow key={delivery.id} delivery={delivery} endpointId={endpointId} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}

function DeliveryRow({ delivery, endpointId }: { delivery: Delivery; endpointId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const redeliver = useMutation(
    trpc.webhooks.redeliver.mutationOptions({
      // The worker makes the attempt later; refetching now shows at least the new state.
      onSettled: () =>
        queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.queryKey({ endpointId, limit: 20 }) }),
    }),
  );
  return (
    <li className="card staff-row" aria-label={`Delivery ${delivery.eventType}`} data-delivery-id={delivery.id}>
      <div className="staff-row-head">
        <strong>{delivery.eventType}</strong>
        <span className={`outcome outcome-${delivery.outcome}`}>{delivery.outcome}</span>
        <span>{formatDateTime(delivery.createdAt)}</span>
        <code title="webhook-id">{delivery.eventId}</code>
      </div>
      <table className="items">
        <caption className="muted">Attempts</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Status</th>
            <th scope="col">Latency</th>
          </tr>
        </thead>
        <tbody>
          {delivery.attemptLog.map((attempt) => (
            <tr key={attempt.attempt}>
              <td>{attempt.attempt}</td>
              <td>{formatDateTime(attempt.attemptedAt)}</td>
              <td>{attempt.statusCode ?? attempt.error ?? "—"}</td>
              <td>{attempt.latencyMs} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button
          type="button"
          disabled={redeliver.isPending}
          onClick={() => redeliver.mutate({ deliveryId: delivery.id })}
        >
          {redeliver.isPending ? "Queueing…" : "Redeliver"}
        </button>
        {redeliver.isSuccess && (
          <span role="status" className="muted">
            Queued: the worker sends it again shortly.
          </span>
        )}
      </div>
      <FormError error={redeliver.error} />
    </li>
  );
}
