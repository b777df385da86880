import { useQueries } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc.ts";
import type { CartLine } from "./cart-store.ts";

export type LineAvailability =
  | { kind: "loading" }
  | { kind: "unknown" }
  | { kind: "ok"; stock: number }
  | { kind: "short"; stock: number }
  | { kind: "unavailable" };

/** Fetches current stock for each cart line, so lines the shop cannot fill are flagged before checkout. */
export function useLiveStock(lines: readonly CartLine[]) {
  const trpc = useTRPC();
  const results = useQueries({
    queries: lines.map((line) => ({
      ...trpc.catalog.byId.queryOptions({ id: line.productId }),
      staleTime: 5_000,
    })),
  });
  const availability = new Map<string, LineAvailability>();
  lines.forEach((line, index) => {
    const result = results[index];
    let value: LineAvailability = { kind: "unknown" };
    if (!result || result.isPending) value = { kind: "loading" };
    else if (result.isError) {
      const code = (result.error as { data?: { code?: string } } | null)?.data?.code;
      value = code === "NOT_FOUND" ? { kind: "unavailable" } : { kind: "unknown" };
    } else if (result.data.archivedAt) value = { kind: "unavailable" };
    else value = { kind: result.data.stock >= line.quantity ? "ok" : "short", stock: result.data.stock };
    availability.set(line.productId, value);
  });
  const refetchAll = () => Promise.all(results.map((r) => r.refetch()));
  const anyError = results.some(
    (r) => r.isError && (r.error as { data?: { code?: string } })?.data?.code !== "NOT_FOUND",
  );
  return { availability, refetchAll, anyError };
}
