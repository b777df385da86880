import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormError } from "../../components/FormError.tsx";
import { formatDateTime } from "../../lib/dates.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { DeliveriesView } from "./DeliveriesView.tsx";
import { EndpointForm, type Endpoint } from "./EndpointForm.tsx";

/** One endpoint: its settings, enable/disable, edit, rotate secret and its deliveries. */
export function EndpointRow({
  endpoint,
  onSecret,
}: {
  endpoint: Endpoint;
  onSecret: (shown: { url: string; secret: string }) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [showDeliveries, setShowDeliveries] = useState(false);
  const refreshList = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() });
  const setEnabled = useMutation(trpc.webhooks.update.mutationOptions({ onSettled: refreshList }));
  // The toggle shows the asked-for state while the update and the list's refetch are in flight.
  const enabled = (setEnabled.isPending ? setEnabled.variables.enabled : undefined) ?? endpoint.enabled;
  // The answer holds the new secret: it goes to the parent's state, then reset() and gcTime 0
  // drop the mutation's own copy, so it does not linger in the mutation cache with this row.
  const rotate = useMutation(
    trpc.webhooks.rotateSecret.mutationOptions({
      gcTime: 0,
      onSuccess: ({ secret }) => onSecret({ url: endpoint.url, secret }),
    }),
  );

  const deliveriesId = `deliveries-${endpoint.id}`;
  return (
    <li className="card staff-row" aria-label={`Endpoint ${endpoint.url}`} data-endpoint-id={endpoint.id}>
      <div className="staff-row-head">
        <strong>{endpoint.url}</strong>
        <span className={endpoint.enabled ? "status-paid" : "status-cancelled"}>
          {endpoint.enabled ? "Enabled" : "Disabled"}
        </span>
        <span>Created {formatDateTime(endpoint.createdAt)}</span>
      </div>
      {endpoint.description && <p>{endpoint.description}</p>}
      <p className="muted">Events: {endpoint.eventTypes.join(", ")}</p>
      <div className="actions">
        {/* A switch, not a controlled checkbox: React would flip a checkbox back until the list refetches. */}
        <button
          type="button"
          role="switch"
          aria-checked={enabled}
          disabled={setEnabled.isPending}
          onClick={() => setEnabled.mutate({ id: endpoint.id, enabled: !enabled })}
        >
          Enabled: {enabled ? "on" : "off"}
        </button>
        <button type="button" aria-expanded={editing} onClick={() => setEditing((open) => !open)}>
          Edit
        </button>
        <button type="button" disabled={rotate.isPending} onClick={() => setConfirmRotate(true)}>
          Rotate secret
        </button>
        <button
          type="button"
          aria-expanded={showDeliveries}
          aria-controls={deliveriesId}
          onClick={() => setShowDeliveries((open) => !open)}
        >
          Deliveries
        </button>
      </div>
      <FormError error={setEnabled.error ?? rotate.error} />
      {editing && <EndpointForm endpoint={endpoint} onDone={() => setEditing(false)} />}
      <div id={deliveriesId}>{showDeliveries && <DeliveriesView endpointId={endpoint.id} />}</div>
      <ConfirmDialog
        open={confirmRotate}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        onCancel={() => setConfirmRotate(false)}
        onConfirm={() => {
          setConfirmRotate(false);
          rotate.mutate({ id: endpoint.id }, { onSuccess: () => rotate.reset() });
        }}
      >
        <p>
          The current secret stops working at once: deliveries to {endpoint.url} are signed with the new one from the
          next attempt, so update the receiver straight away.
        </p>
      </ConfirmDialog>
    </li>
  );
}
