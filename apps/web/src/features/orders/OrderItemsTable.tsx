import type { RouterOutputs } from "@cartwheel/client";
import { formatMoney } from "../../lib/money.ts";

type Order = Pick<RouterOutputs["orders"]["byId"], "items" | "totalCents" | "currency">;

/** The lines of an order with their totals: the customer's order page and staff's show the same table. */
export function OrderItemsTable({ order }: { order: Order }) {
  return (
    <table className="items">
      <caption className="visually-hidden">Items</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Qty</th>
          <th scope="col">Price</th>
        </tr>
      </thead>
      <tbody>
        {order.items.map((item) => (
          <tr key={item.productId}>
            <td>{item.productName}</td>
            <td>{item.quantity}</td>
            <td>{formatMoney(item.lineTotalCents, order.currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            Total
          </th>
          <td>{formatMoney(order.totalCents, order.currency)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
