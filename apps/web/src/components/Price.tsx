import { formatMoney } from "../lib/money.ts";

export function Price({ cents, currency }: { cents: number; currency: string }) {
  return <span className="price">{formatMoney(cents, currency)}</span>;
}
