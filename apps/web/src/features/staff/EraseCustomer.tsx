import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { FormError } from "../../components/FormError.tsx";
import { errorReason } from "../../lib/errors.ts";
import { useTRPC } from "../../lib/trpc.ts";
import type { OrderCustomer } from "./customer.ts";

/** The refusals an admin can meet here, in words that say what to do instead. */
const refusals: Record<string, string> = {
  erasure_refused:
    "Only customer accounts can be erased, and this one belongs to staff. Make it a customer account first, then erase it.",
  self_change: "You cannot erase your own account here. Delete it from your account page instead.",
};

/**
 * An admin erases an order's customer (GDPR): asked in a dialog first, since it cannot be
 * undone. The dialog stays open until the server answers, so a refusal is read where the
 * question was asked; on success every cached order reloads and shows the erased customer.
 */
export function EraseCustomer({ customer }: { customer: OrderCustomer }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  // The button goes once the customer is erased, so focus moves to what happened.
  const outcome = useRef<HTMLDivElement>(null);
  const erase = useMutation(
    trpc.users.erase.mutationOptions({
      // The dialog shows "Erasing…" until the order has reloaded with the erased customer.
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() });
        setAsking(false);
      },
    }),
  );
  // Once the dialog has closed (a modal keeps focus inside it while open); the dialog's own
  // effect runs first and would return focus to the button that is now gone.
  useEffect(() => {
    if (erase.isSuccess && !asking) outcome.current?.focus();
  }, [erase.isSuccess, asking]);
  const reason = errorReason(erase.error);
  const refusal = reason ? refusals[reason] : undefined;

  const open = () => {
    erase.reset();
    setAsking(true);
  };
  const confirm = () => {
    if (!erase.isPending) erase.mutate({ userId: customer.id });
  };

  return (
    <>
      {!customer.erased && !erase.isSuccess && (
        <p>
          <button type="button" className="danger" onClick={open}>
            Erase customer…
          </button>
        </p>
      )}
      <div ref={outcome} tabIndex={-1} className="transition-outcome">
        {erase.isSuccess && (
          <p role="status" className="success">
            The customer&apos;s personal data was erased.
          </p>
        )}
      </div>
      {/* Gone with the button: an erased customer has nothing left to erase. */}
      {!customer.erased && (
        <ConfirmDialog
          open={asking}
          title={`Erase ${customer.name}?`}
          confirmLabel="Erase customer"
          cancelLabel="Keep customer"
          onCancel={() => setAsking(false)}
          onConfirm={confirm}
        >
          <p>
            This removes {customer.name}&apos;s name, e-mail address{customer.email ? ` (${customer.email})` : ""},
            saved addresses and session details, and signs them out everywhere. Their orders stay for accounting, as an
            erased customer&apos;s; an order not yet delivered keeps its shipping address until it is delivered or
            cancelled.
          </p>
          <p>
            <strong>This cannot be undone.</strong>
          </p>
          {erase.isPending && (
            <p role="status" className="status">
              Erasing…
            </p>
          )}
          {refusal ? (
            <p role="alert" className="form-error">
              {refusal}
            </p>
          ) : (
            <FormError error={erase.error} />
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
