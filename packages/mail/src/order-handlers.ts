// The jobs that mail about orders and stock, one per event type: the customer on an order
// placed, shipped or cancelled, staff when a product's stock crosses the low-stock threshold
// (the event is recorded once per crossing). Events carry ids only; the recipient, the lines
// and the product's name are read when the job runs. Delivery is at least once: the
// Message-ID comes from the event id, so a repeated run (a crash between sending and
// acknowledging) sends the same message again, which a mailbox that dedupes by Message-ID
// shows once. Nothing in these messages acts on its own, so a duplicate is a nuisance only.
import type { RecordedEvent } from "@cartwheel/contracts";
import type { MailConfig } from "./config.ts";
import { linkTo } from "./links.ts";
import type { Mailer } from "./mailer.ts";
import { lowStock, orderCancelled, orderConfirmation, orderShipped, type OrderLineForMail } from "./templates.ts";

/** What the handlers read at send time (@cartwheel/commerce's createOrderMailReader gives all of it). */
export interface OrderMailReader {
  /** The order and its customer, or null when the order is gone or the account gone or disabled. */
  order(orderId: string): Promise<{
    recipient: { email: string; name: string };
    order: { id: string; totalCents: number; currency: string; lines: OrderLineForMail[] };
  } | null>;
  /** The product's name, or null when it is gone. */
  product(productId: string): Promise<{ name: string } | null>;
  /** Whom low stock concerns: every enabled staff and admin account. */
  staffAddresses(): Promise<string[]>;
}

export interface OrderMailDeps {
  mailer: Mailer;
  orders: OrderMailReader;
  config: Pick<MailConfig, "PUBLIC_URL">;
}

export const orderMailEventTypes = ["order.created", "order.status_changed", "product.stock_low"] as const;
export type OrderMailEventType = (typeof orderMailEventTypes)[number];

type Handler = (event: RecordedEvent) => Promise<"sent" | "skipped">;

export function orderMailHandlers({ mailer, orders, config }: OrderMailDeps): Record<OrderMailEventType, Handler> {
  const orderLink = (orderId: string) => linkTo(config.PUBLIC_URL, `orders/${encodeURIComponent(orderId)}`);

  return {
    async "order.created"(event) {
      if (event.type !== "order.created") throw mismatch("order.created", event);
      const found = await orders.order(event.payload.orderId);
      if (!found) return "skipped";
      const { recipient, order } = found;
      const message = orderConfirmation({
        name: recipient.name,
        orderId: order.id,
        lines: order.lines,
        totalCents: order.totalCents,
        currency: order.currency,
        link: orderLink(order.id),
      });
      await mailer.send({ to: recipient.email, message, kind: "order_confirmation", id: event.id });
      return "sent";
    },

    // Every status change is routed here; only the two a customer must hear about are mailed
    // (paid follows their own payment, delivered they see at the door).
    async "order.status_changed"(event) {
      if (event.type !== "order.status_changed") throw mismatch("order.status_changed", event);
      const { orderId, toStatus } = event.payload;
      if (toStatus !== "shipped" && toStatus !== "cancelled") return "skipped";
      const found = await orders.order(orderId);
      if (!found) return "skipped";
      const { recipient, order } = found;
      const input = { name: recipient.name, orderId: order.id, link: orderLink(order.id) };
      const message = toStatus === "shipped" ? orderShipped(input) : orderCancelled(input);
      await mailer.send({ to: recipient.email, message, kind: `order_${toStatus}`, id: event.id });
      return "sent";
    },

    async "product.stock_low"(event) {
      if (event.type !== "product.stock_low") throw mismatch("product.stock_low", event);
      const { productId, stock, threshold } = event.payload;
      const [product, staff] = await Promise.all([orders.product(productId), orders.staffAddresses()]);
      if (!product || staff.length === 0) return "skipped";
      // The stock and threshold of the crossing itself, not of now: the mail says what happened.
      const message = lowStock({
        productName: product.name,
        stock,
        threshold,
        link: linkTo(config.PUBLIC_URL, "staff"),
      });
      // One message to every staff address: colleagues see each other's work address, and a
      // repeated run repeats one message rather than some of many.
      await mailer.send({ to: staff, message, kind: "low_stock", id: event.id });
      return "sent";
    },
  };
}

const mismatch = (type: OrderMailEventType, event: RecordedEvent) =>
  new Error(`the ${type} handler got a ${event.type} event`);
