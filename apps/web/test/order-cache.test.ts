import { describe, expect, it } from "vitest";
import { patchOrder, patchPages } from "../src/features/orders/order-cache.ts";
import type { OrderEvent } from "../src/features/orders/use-order-events.ts";

const order = (id: string, status: string, version: number) =>
  ({ id, status, version, userId: "u", totalCents: 100, currency: "USD", items: [] }) as unknown as OrderEvent["order"];

describe("order cache patching", () => {
  it("lays the event's order over the cached one, keeping fields the event does not carry", () => {
    const cached = { ...order("a", "pending", 1), allowedTransitions: ["paid"] };
    expect(patchOrder(cached, order("a", "paid", 2))).toMatchObject({
      status: "paid",
      version: 2,
      allowedTransitions: ["paid"],
    });
  });

  it("never rolls a cached order back to an older version", () => {
    const cached = order("a", "shipped", 3);
    expect(patchOrder(cached, order("a", "paid", 2))).toBe(cached);
  });

  it("patches the order in whichever page holds it, and leaves lists without it untouched", () => {
    const data = {
      pages: [{ items: [order("a", "pending", 1)] }, { items: [order("b", "pending", 1)] }],
      pageParams: [null, "c1"],
    };
    const patched = patchPages(data, order("b", "shipped", 3));
    expect(patched?.pages.map((page) => page.items[0]!.status)).toEqual(["pending", "shipped"]);
    expect(patchPages(data, order("z", "paid", 2))).toBe(data);
    expect(patchPages(undefined, order("a", "paid", 2))).toBeUndefined();
  });
});
