// What `orders show` prints: the order, who placed it, where it goes, how it was shipped,
// its lines and its history. Labels are padded to one column so the text lines up and
// stays easy to grep (`cartwheel orders show … | grep ^phone`).
import type { RouterOutputs } from "@cartwheel/client";
import { shortOrderId } from "@cartwheel/contracts";
import { formatDate, formatMoney, writeLine, writeTable } from "../runtime/output.ts";

export type OrderDetail = RouterOutputs["orders"]["byId"];
type Address = NonNullable<OrderDetail["shippingAddress"]>;
type OrderEvent = OrderDetail["events"][number];

const LABEL_WIDTH = 10;

/** One labelled line; further lines of a multi-line value are indented under the first. */
function field(label: string, value: string | readonly string[]): void {
  const [first = "-", ...rest] = typeof value === "string" ? [value] : value;
  writeLine(`${label.padEnd(LABEL_WIDTH)}${first}`.trimEnd());
  for (const line of rest) writeLine(`${" ".repeat(LABEL_WIDTH)}${line}`);
}

/** "Grace Hopper <grace@example.com>"; an erased account has no address to show. */
export function personLabel(person: { name: string; email: string }): string {
  return person.email ? `${person.name} <${person.email}>` : person.name;
}

function addressLines(address: Address): string[] {
  // Empty optional parts (line2, region, postal code) leave no blank line or stray space.
  const place = [address.city, address.region, address.postalCode].filter(Boolean).join(" ");
  return [address.name, address.line1, address.line2, place, address.country].filter(Boolean);
}

/** Who made a change: a person for staff callers; customers are not told which member of staff. */
function actorLabel(event: OrderEvent): string {
  if (event.actor) return `${personLabel(event.actor)} (${event.actor.role})`;
  return event.actorId === null ? "the shop (automatic)" : "-";
}

export function printOrder(order: OrderDetail): void {
  field("order", `${shortOrderId(order.id)}  (id ${order.id})`);
  field("status", `${order.status} (version ${order.version})`);
  field("total", formatMoney(order.totalCents, order.currency));
  field("placed", formatDate(order.createdAt));
  field("updated", formatDate(order.updatedAt));
  field("customer", personLabel(order.customer));
  const address = order.shippingAddress;
  field("ship to", address ? addressLines(address) : "none given");
  if (address) field("phone", address.phone);
  const shipment = order.shipment;
  field(
    "shipment",
    shipment ? [`carrier   ${shipment.carrier || "-"}`, `tracking  ${shipment.trackingNumber || "-"}`] : "not shipped",
  );
  writeLine();
  writeTable(order.items, [
    { header: "PRODUCT", value: (item) => item.productName },
    { header: "QTY", value: (item) => String(item.quantity), align: "right" },
    { header: "UNIT", value: (item) => formatMoney(item.unitPriceCents, order.currency), align: "right" },
    { header: "LINE", value: (item) => formatMoney(item.lineTotalCents, order.currency), align: "right" },
  ]);
  writeLine();
  writeTable(
    order.events,
    [
      { header: "WHEN", value: (event) => formatDate(event.createdAt) },
      { header: "CHANGE", value: (event) => `${event.fromStatus ?? "new"} → ${event.toStatus}` },
      { header: "BY", value: actorLabel },
    ],
    "No history recorded.",
  );
}
