// The order and stock mail handlers over a stand-in reader (its shape is all they know) and the
// real mailer into a real SMTP server: who gets what, what is skipped, and that a repeated run
// sends the same Message-ID.
import type { RecordedEvent } from "@cartwheel/contracts";
import { createLogger } from "@cartwheel/observability";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadMailConfig } from "../src/config.ts";
import { createMailer, type Mailer } from "../src/mailer.ts";
import { orderMailHandlers, type OrderMailReader } from "../src/order-handlers.ts";
import { startSmtpReceiver, type SmtpReceiver } from "../src/testing.ts";

const orderId = crypto.randomUUID();
const userId = crypto.randomUUID();
const productId = crypto.randomUUID();

const reader = (overrides: Partial<OrderMailReader> = {}): OrderMailReader => ({
  order: async (id) =>
    id === orderId
      ? {
          recipient: { email: "ada@example.com", name: "Ada" },
          order: {
            id,
            totalCents: 2500,
            currency: "EUR",
            lines: [{ name: "Tea & <b>Cake</b>", quantity: 2, unitPriceCents: 1250 }],
          },
        }
      : null,
  product: async (id) => (id === productId ? { name: "Tea & <b>Cake</b>" } : null),
  staffAddresses: async () => ["admin@shop.test", "staff@shop.test"],
  ...overrides,
});

const event = (value: Pick<RecordedEvent, "type" | "payload">): RecordedEvent =>
  ({ ...value, id: crypto.randomUUID(), occurredAt: new Date() }) as RecordedEvent;

const statusChanged = (toStatus: "paid" | "shipped" | "cancelled" | "delivered") =>
  event({
    type: "order.status_changed",
    payload: { orderId, userId, fromStatus: "paid", toStatus, actorId: null },
  });

describe("order mail handlers", () => {
  let receiver: SmtpReceiver;
  let mailer: Mailer;
  const config = { PUBLIC_URL: "https://shop.test" };

  beforeAll(async () => {
    receiver = await startSmtpReceiver();
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    mailer = createMailer(loadMailConfig({ SMTP_URL: receiver.url }), { logger: createLogger({ level: "error" }) });
    receiver.clear();
  });
  afterEach(() => mailer.close());

  it("confirms an order to its customer, and a repeated run sends the same Message-ID", async () => {
    const handlers = orderMailHandlers({ mailer, orders: reader(), config });
    const created = event({ type: "order.created", payload: { orderId, userId } });
    expect(await handlers["order.created"](created)).toBe("sent");
    expect(await handlers["order.created"](created)).toBe("sent");
    const [first, second] = await receiver.waitFor(2);
    expect(first!.recipients).toEqual(["ada@example.com"]);
    expect(first!.parsed.subject).toBe("Thank you for your order");
    expect(first!.parsed.html).toContain("Tea &amp; &lt;b&gt;Cake&lt;/b&gt;");
    expect(first!.parsed.text).toContain("2 × Tea & <b>Cake</b>");
    expect(first!.parsed.text).toContain(`https://shop.test/orders/${orderId}`);
    expect(second!.parsed.messageId).toBe(first!.parsed.messageId);
  });

  it("mails shipped and cancelled orders, and skips the other status changes", async () => {
    const handlers = orderMailHandlers({ mailer, orders: reader(), config });
    expect(await handlers["order.status_changed"](statusChanged("paid"))).toBe("skipped");
    expect(await handlers["order.status_changed"](statusChanged("delivered"))).toBe("skipped");
    expect(await handlers["order.status_changed"](statusChanged("shipped"))).toBe("sent");
    expect(await handlers["order.status_changed"](statusChanged("cancelled"))).toBe("sent");
    const arrived = await receiver.waitFor(2);
    expect(arrived.map((mail) => mail.parsed.subject)).toEqual([
      "Your order is on its way",
      "Your order was cancelled",
    ]);
    expect(arrived.map((mail) => mail.parsed.headers.get("x-cartwheel-kind"))).toEqual([
      "order_shipped",
      "order_cancelled",
    ]);
  });

  it("mails nothing when the order or its customer is gone", async () => {
    const handlers = orderMailHandlers({ mailer, orders: reader({ order: async () => null }), config });
    expect(await handlers["order.created"](event({ type: "order.created", payload: { orderId, userId } }))).toBe(
      "skipped",
    );
    expect(await handlers["order.status_changed"](statusChanged("shipped"))).toBe("skipped");
  });

  it("tells every staff address of low stock in one message, and nobody when there is no staff", async () => {
    const low = event({ type: "product.stock_low", payload: { productId, stock: 3, threshold: 5 } });
    expect(await orderMailHandlers({ mailer, orders: reader(), config })["product.stock_low"](low)).toBe("sent");
    const [mail] = await receiver.waitFor(1);
    expect(mail!.recipients).toEqual(["admin@shop.test", "staff@shop.test"]);
    expect(mail!.parsed.html).toContain("<strong>Tea &amp; &lt;b&gt;Cake&lt;/b&gt;</strong> is down to 3 in stock");
    const nobody = orderMailHandlers({ mailer, orders: reader({ staffAddresses: async () => [] }), config });
    expect(await nobody["product.stock_low"](low)).toBe("skipped");
  });

  it("refuses an event of another type", async () => {
    const handlers = orderMailHandlers({ mailer, orders: reader(), config });
    await expect(handlers["order.created"](statusChanged("shipped"))).rejects.toThrow(/got a order.status_changed/);
  });
});
