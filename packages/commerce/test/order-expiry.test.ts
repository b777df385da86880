import { testBackends } from "@cartwheel/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXPIRY_BATCH } from "../src/order-service.ts";
import { type Harness, ledgerSum, makeProduct, openHarness, stockOf, uuid } from "./fixtures.ts";

const TTL_SECONDS = 86_400;

describe.each(testBackends({ sqlite: "file" }))("unpaid orders expiring on %s", (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(backend);
  });
  afterEach(() => h.close());

  const place = (productId: string, quantity = 1) =>
    h.orders.place(h.customer.id, { items: [{ productId, quantity }], idempotencyKey: uuid() });

  it("cancels pending orders past the time to pay, restocking through the ledger, as the system", async () => {
    const product = await makeProduct(h, { stock: 10 });
    const overdue = await place(product.id, 3);
    const paid = await place(product.id, 2);
    await h.orders.updateStatus({ id: paid.id, status: "paid" }, h.staff);
    h.clock.advance(TTL_SECONDS * 1000 - 1000);
    const recent = await place(product.id, 1);
    h.clock.advance(2000); // `overdue` and `paid` are now past the TTL, `recent` is not
    expect(await stockOf(h.database, product.id)).toBe(4);

    expect(await h.orders.expireUnpaid(TTL_SECONDS)).toEqual({ expired: 1, more: false });
    const detail = await h.orders.byId(overdue.id, h.staff);
    expect(detail.status).toBe("cancelled");
    expect(detail.events.at(-1)).toMatchObject({ fromStatus: "pending", toStatus: "cancelled", actorId: null });
    expect((await h.orders.byId(paid.id, h.staff)).status).toBe("paid");
    expect((await h.orders.byId(recent.id, h.staff)).status).toBe("pending");
    expect(await stockOf(h.database, product.id)).toBe(7);
    expect(await ledgerSum(h.database, product.id)).toBe(7);

    // A second pass finds nothing more to do.
    expect(await h.orders.expireUnpaid(TTL_SECONDS)).toEqual({ expired: 0, more: false });
  });

  it("races staff paying an order: exactly one of them wins it, and the others still expire", async () => {
    const product = await makeProduct(h, { stock: 10 });
    const contested = await place(product.id);
    const other = await place(product.id);
    h.clock.advance(TTL_SECONDS * 1000 + 1000);

    const [expiry, payment] = await Promise.allSettled([
      h.orders.expireUnpaid(TTL_SECONDS),
      h.orders.updateStatus({ id: contested.id, status: "paid" }, h.staff),
    ]);
    expect(expiry.status).toBe("fulfilled");
    const final = (await h.orders.byId(contested.id, h.staff)).status;
    // Whichever committed first decides; the loser is told why (or skips the order).
    const staffWon = payment.status === "fulfilled";
    expect(final).toBe(staffWon ? "paid" : "cancelled");
    expect(expiry).toMatchObject({ value: { expired: staffWon ? 1 : 2 } });
    const loss = payment.status === "rejected" ? (payment.reason as { reason?: string }).reason : "none";
    expect(["none", "invalid_transition", "stale_version"]).toContain(loss);
    expect((await h.orders.byId(other.id, h.staff)).status).toBe("cancelled");
    expect(await stockOf(h.database, product.id)).toBe(await ledgerSum(h.database, product.id));
  });

  it("works in bounded batches and says when more are due", async () => {
    const product = await makeProduct(h, { stock: EXPIRY_BATCH + 5 });
    for (let i = 0; i < EXPIRY_BATCH + 2; i++) await place(product.id);
    h.clock.advance(TTL_SECONDS * 1000 + 1000);
    expect(await h.orders.expireUnpaid(TTL_SECONDS)).toEqual({ expired: EXPIRY_BATCH, more: true });
    expect(await h.orders.expireUnpaid(TTL_SECONDS)).toEqual({ expired: 2, more: false });
    expect(await stockOf(h.database, product.id)).toBe(EXPIRY_BATCH + 5);
  }, 60_000);
});
