import { statusLabels, type OrderStatus } from "./order-status.ts";

export function StatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`badge status-${status}`}>{statusLabels[status]}</span>;
}
