import { CARRIER_MAX_LENGTH, TRACKING_NUMBER_MAX_LENGTH } from "@cartwheel/contracts/limits";
import { shortOrderId } from "@cartwheel/contracts/order-reference";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { Field } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { errorReason } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { statusLabels, transitionLabels, type OrderStatus } from "../orders/order-status.ts";

/** What a transition needs: the server's allowed next steps and the version they were read at. */
export interface TransitionableOrder {
  id: string;
  version: number;
  allowedTransitions: readonly OrderStatus[];
}

const questions: Record<OrderStatus, { title: (reference: string) => string; body: string }> = {
  pending: { title: (r) => `Mark order ${r} pending?`, body: "The order waits for payment again." },
  paid: {
    title: (r) => `Mark order ${r} paid?`,
    body: "Only once the payment has arrived: the order then waits to ship.",
  },
  shipped: {
    title: (r) => `Mark order ${r} shipped?`,
    body: "The customer sees the carrier and tracking number on their order page. Both are optional.",
  },
  delivered: { title: (r) => `Mark order ${r} delivered?`, body: "A delivered order is final." },
  cancelled: {
    title: (r) => `Cancel order ${r}?`,
    body: "Its items go back into stock, and a cancelled order cannot be reopened.",
  },
};

/**
 * The next steps of an order as buttons, each asked for in a dialog first (one misclick must
 * not ship or cancel an order). The update carries the version the buttons were drawn from,
 * so a step decided on an outdated view is refused (stale_version) instead of applied.
 */
export function OrderTransitions({ order }: { order: TransitionableOrder }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [asked, setAsked] = useState<OrderStatus | null>(null);
  const [carrier, setCarrier] = useState("");
  const [trackingNumber, setTrackingNumber] = useState("");
  // The buttons change (or go) with the new status, so focus moves to what happened.
  const outcome = useRef<HTMLDivElement>(null);
  const update = useMutation(
    trpc.orders.updateStatus.mutationOptions({
      // On success or a lost race, show the order as it now is.
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() }),
    }),
  );
  const reference = shortOrderId(order.id);

  const ask = (next: OrderStatus) => {
    setCarrier("");
    setTrackingNumber("");
    setAsked(next);
  };
  const confirm = () => {
    if (!asked) return;
    const withShipment = asked === "shipped" && (carrier.trim() !== "" || trackingNumber.trim() !== "");
    update.mutate(
      {
        id: order.id,
        status: asked,
        expectedVersion: order.version,
        ...(withShipment && { shipment: { carrier, trackingNumber } }),
      },
      // After onSettled's refetch, so the outcome is announced beside the new buttons.
      { onSettled: () => outcome.current?.focus() },
    );
    setAsked(null);
  };
  const question = asked ? questions[asked] : null;

  return (
    <>
      <div className="actions">
        {order.allowedTransitions.map((next) => (
          <button key={next} type="button" disabled={update.isPending} onClick={() => ask(next)}>
            {transitionLabels[next]}
          </button>
        ))}
      </div>
      <div ref={outcome} tabIndex={-1} className="transition-outcome">
        {update.isPending && (
          <p role="status" className="status">
            Updating order {reference}…
          </p>
        )}
        {update.isSuccess && (
          <p role="status" className="success">
            Order {reference} is now {statusLabels[update.data.status].toLowerCase()}.
          </p>
        )}
        {errorReason(update.error) === "stale_version" ? (
          <p role="alert" className="form-error">
            Someone else changed order {reference} meanwhile, so nothing was changed. It has been reloaded: check it and
            try again.
          </p>
        ) : (
          <FormError error={update.error} />
        )}
      </div>
      <ConfirmDialog
        open={asked !== null}
        title={question?.title(reference) ?? ""}
        confirmLabel={asked ? transitionLabels[asked] : ""}
        cancelLabel="Go back"
        tone={asked === "cancelled" ? "danger" : "primary"}
        onCancel={() => setAsked(null)}
        onConfirm={confirm}
      >
        <p>{question?.body}</p>
        {asked === "shipped" && (
          <>
            <Field
              id={`carrier-${order.id}`}
              label="Carrier (optional)"
              value={carrier}
              maxLength={CARRIER_MAX_LENGTH}
              onChange={(e) => setCarrier(e.target.value)}
            />
            <Field
              id={`tracking-${order.id}`}
              label="Tracking number (optional)"
              value={trackingNumber}
              maxLength={TRACKING_NUMBER_MAX_LENGTH}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setTrackingNumber(e.target.value)}
            />
          </>
        )}
      </ConfirmDialog>
    </>
  );
}
