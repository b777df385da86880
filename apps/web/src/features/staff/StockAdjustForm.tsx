import { manualStockReasons, type ManualStockReason } from "@cartwheel/contracts/enums";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { FormError } from "../../components/FormError.tsx";
import { useTRPC } from "../../lib/trpc.ts";

const labels: Record<ManualStockReason, string> = { restock: "Restock", adjustment: "Adjustment" };
const reasons = manualStockReasons.map((value) => ({ value, label: labels[value] }));

export function StockAdjustForm({ productId, productName }: { productId: string; productName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [delta, setDelta] = useState("");
  const [reason, setReason] = useState<ManualStockReason>(manualStockReasons[0]);
  const adjust = useMutation(
    trpc.catalog.adjustStock.mutationOptions({
      onSuccess: async () => {
        setDelta("");
        await queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const n = Number(delta);
    if (!Number.isInteger(n) || n === 0) return;
    adjust.mutate({ productId, delta: n, reason });
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={`Adjust stock of ${productName}`}>
      <label htmlFor={`delta-${productId}`}>Stock change</label>
      <input
        id={`delta-${productId}`}
        type="number"
        step={1}
        value={delta}
        placeholder="+10 or -2"
        onChange={(e) => setDelta(e.target.value)}
      />
      <label htmlFor={`reason-${productId}`} className="visually-hidden">
        Reason
      </label>
      <select id={`reason-${productId}`} value={reason} onChange={(e) => setReason(e.target.value as typeof reason)}>
        {reasons.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </select>
      <button type="submit" disabled={adjust.isPending}>
        Apply
      </button>
      <FormError error={adjust.error} />
    </form>
  );
}
