// Order and low-stock mail through the built server, as people use it: a customer places
// orders through @cartwheel/client, staff ship one and cancel the other, and the server's own
// worker relays the events and mails through a real SMTP server: the customer's confirmation
// (the product name, which has markup in it, escaped in the HTML part), shipped and cancelled
// notices, and one low-stock notice to staff for the order that crossed the threshold. On
// SQLite and PostgreSQL.
import { findUserIdByEmail } from "@cartwheel/auth";
import { createCartwheelClient } from "@cartwheel/client";
import type { Database } from "@cartwheel/db";
import type { ReceivedMail, SmtpReceiver } from "@cartwheel/mail/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MailStack, startMailStack } from "./support/mail-stack.ts";
import type { ServerProcess } from "./support/server-process.ts";

const AUTH_SECRET = "order-mail-test-secret-".padEnd(48, "x");
const PASSWORD = "Copper walrus sells 5";
const PRODUCT_NAME = `Tea & <script>alert("x")</script>`;

const subject = (text: string) => (mail: ReceivedMail) => mail.parsed.subject === text;

describe.each(["sqlite", "postgres"] as const)("order mail over HTTP on %s", (dialect) => {
  let server: ServerProcess;
  let receiver: SmtpReceiver;
  let database: Database;

  let stack: MailStack | undefined;

  beforeAll(async () => {
    stack = await startMailStack(dialect, { AUTH_SECRET, LOW_STOCK_THRESHOLD: "5" });
    ({ server, receiver, database } = stack);
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  /** A signed-in client for a new account, given a role directly in the database (as an admin would). */
  async function signedIn(email: string, name: string, role: "customer" | "staff" | "admin") {
    const client = createCartwheelClient({ url: server.url });
    await client.auth.register.mutate({ email, password: PASSWORD, name, transport: "token" });
    const { users } = database.schema;
    const id = await findUserIdByEmail(database, stack!.pii.emailIndexKey, email);
    await database.db.update(users).set({ role }).where(eq(users.id, id!));
    await client.auth.login.mutate({ email, password: PASSWORD, transport: "token" });
    return client;
  }

  it("mails the customer on placing, shipping and cancelling, and staff once per low-stock crossing", async () => {
    const customerEmail = `customer-${dialect}@example.com`;
    const customer = await signedIn(customerEmail, "Cleo <Customer>", "customer");
    const staff = await signedIn(`staff-${dialect}@shop.test`, "Sam", "staff");
    await signedIn(`admin-${dialect}@shop.test`, "Ada", "admin");
    const product = await staff.catalog.create.mutate({
      slug: `tea-${dialect}`,
      name: PRODUCT_NAME,
      priceCents: 1250,
      currency: "EUR",
      stock: 8,
    });

    // 8 → 4 crosses the threshold of 5; 4 → 3 is further below and is no news.
    const crossing = await customer.orders.place.mutate({
      items: [{ productId: product.id, quantity: 4 }],
      idempotencyKey: crypto.randomUUID(),
    });
    const confirmation = await receiver.waitForMail(
      (mail) => mail.parsed.subject === "Thank you for your order" && (mail.parsed.text ?? "").includes(crossing.id),
    );
    expect(confirmation.recipients).toEqual([customerEmail]);
    expect(confirmation.parsed.text).toContain(`4 × ${PRODUCT_NAME}`);
    expect(confirmation.parsed.text).toContain("Total: €50.00");
    expect(confirmation.parsed.text).toContain(`https://shop.test/orders/${crossing.id}`);
    expect(confirmation.parsed.html).toContain("Tea &amp; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(confirmation.parsed.html).not.toContain("<script>");
    expect(confirmation.parsed.html).toContain("Hello Cleo &lt;Customer&gt;");

    const lowStock = await receiver.waitForMail(subject("A product is running low"));
    expect(lowStock.recipients).toEqual([`admin-${dialect}@shop.test`, `staff-${dialect}@shop.test`]);
    expect(lowStock.parsed.text).toContain(`${PRODUCT_NAME} is down to 4 in stock`);
    expect(lowStock.parsed.html).not.toContain("<script>");

    const further = await customer.orders.place.mutate({
      items: [{ productId: product.id, quantity: 1 }],
      idempotencyKey: crypto.randomUUID(),
    });
    await receiver.waitForMail(
      (mail) => mail.parsed.subject === "Thank you for your order" && (mail.parsed.text ?? "").includes(further.id),
    );

    await staff.orders.updateStatus.mutate({ id: crossing.id, status: "paid" });
    await staff.orders.updateStatus.mutate({ id: crossing.id, status: "shipped" });
    const shipped = await receiver.waitForMail(subject("Your order is on its way"));
    expect(shipped.recipients).toEqual([customerEmail]);
    expect(shipped.parsed.text).toContain(`Your order ${crossing.id} has shipped.`);

    await staff.orders.updateStatus.mutate({ id: further.id, status: "cancelled" });
    const cancelled = await receiver.waitForMail(subject("Your order was cancelled"));
    expect(cancelled.recipients).toEqual([customerEmail]);
    expect(cancelled.parsed.text).toContain(`Your order ${further.id} was cancelled.`);

    // The second order's events were relayed before the cancel was even made, so a second
    // low-stock mail would be here by now. Paying mailed nothing either.
    const sent = receiver.received.map((mail) => mail.parsed.subject);
    expect(sent.filter((text) => text === "A product is running low")).toHaveLength(1);
    expect(sent.filter((text) => text === "Thank you for your order")).toHaveLength(2);
    expect(sent.filter((text) => text === "Confirm your e-mail address")).toHaveLength(3);
    expect(sent).toHaveLength(8);
  });
});
