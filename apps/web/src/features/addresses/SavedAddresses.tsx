import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { FormError } from "../../components/FormError.tsx";
import { QueryState } from "../../components/QueryState.tsx";
import { useTRPC } from "../../lib/trpc.ts";
import { addressSummary, type Address } from "./address.ts";
import { AddressView } from "./AddressView.tsx";

/** The account's saved shipping addresses (added at checkout), each with a confirmed Remove. */
export function SavedAddresses() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.addresses.list.queryOptions());
  const [asked, setAsked] = useState<{ id: string; address: Address } | null>(null);
  // The removed row's button is gone, so focus goes to the outcome instead of the page's top.
  const outcome = useRef<HTMLParagraphElement>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.addresses.list.queryKey() });
  // Removed or already gone (NOT_FOUND): either way show the book as it is now.
  const remove = useMutation(trpc.addresses.remove.mutationOptions({ onSettled: refresh }));

  return (
    <section aria-labelledby="addresses-title">
      <h2 id="addresses-title">Saved addresses</h2>
      <QueryState query={query} label="your saved addresses">
        {() =>
          query.data!.length === 0 ? (
            <p className="status">No saved addresses. You can save one when you check out.</p>
          ) : (
            <ul className="session-list" aria-label="Saved addresses">
              {query.data!.map((saved) => {
                const { address } = saved;
                return (
                  <li key={saved.id} className="card session-row">
                    <AddressView address={address} />
                    <button
                      type="button"
                      // Not disabled while a removal runs: a disabled button would drop the keyboard focus.
                      onClick={() => setAsked({ id: saved.id, address })}
                      aria-label={`Remove address: ${addressSummary(address)}`}
                    >
                      Remove
                    </button>
                  </li>
                );
              })}
            </ul>
          )
        }
      </QueryState>
      <p ref={outcome} tabIndex={-1} role="status" className={remove.isSuccess ? "success" : "visually-hidden"}>
        {remove.isSuccess ? "Address removed." : ""}
      </p>
      <FormError error={remove.error} />
      {/* Always mounted: close() (not unmounting) is what gives focus back to the Remove button on Cancel. */}
      <ConfirmDialog
        open={asked !== null}
        title="Remove this address?"
        confirmLabel="Remove address"
        onCancel={() => setAsked(null)}
        onConfirm={() => {
          // Runs after onSettled's refetch, so the row is gone when the focus moves.
          if (asked) remove.mutate({ id: asked.id }, { onSuccess: () => outcome.current?.focus() });
          setAsked(null);
        }}
      >
        {asked && <AddressView address={asked.address} />}
        <p>Orders already placed keep their own copy and still ship there.</p>
      </ConfirmDialog>
    </section>
  );
}
