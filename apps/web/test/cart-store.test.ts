import { beforeEach, describe, expect, it } from "vitest";
import { ORDER_LINE_MAX_QUANTITY } from "@cartwheel/contracts/limits";
import { cartCount, cartTotals, CartStore, parseCart } from "../src/features/cart/cart-store.ts";

const mug = { productId: "p1", slug: "mug", name: "Mug", priceCents: 1200, currency: "USD" };
const tea = { productId: "p2", slug: "tea", name: "Tea", priceCents: 450, currency: "USD" };

describe("cart store", () => {
  beforeEach(() => localStorage.clear());

  it("adds lines, merges repeats and persists to localStorage", () => {
    const cart = new CartStore(localStorage);
    cart.add(mug, 1);
    cart.add(tea, 2);
    cart.add(mug, 2);
    expect(cart.getSnapshot().map((l) => [l.productId, l.quantity])).toEqual([
      ["p1", 3],
      ["p2", 2],
    ]);
    const reloaded = new CartStore(localStorage);
    expect(reloaded.getSnapshot()).toEqual(cart.getSnapshot());
    expect(cartCount(reloaded.getSnapshot())).toBe(5);
    expect(cartTotals(reloaded.getSnapshot()).get("USD")).toBe(3 * 1200 + 2 * 450);
  });

  it("keeps quantities within 1..100 and removes lines", () => {
    const cart = new CartStore(localStorage);
    cart.add(mug, 1);
    cart.setQuantity("p1", 0);
    expect(cart.getSnapshot()[0]?.quantity).toBe(1);
    cart.setQuantity("p1", 1000);
    expect(cart.getSnapshot()[0]?.quantity).toBe(ORDER_LINE_MAX_QUANTITY);
    cart.remove("p1");
    expect(cart.getSnapshot()).toEqual([]);
    expect(localStorage.getItem("cartwheel.cart.v1")).toBeNull();
  });

  it("notifies subscribers on every change", () => {
    const cart = new CartStore(localStorage);
    let calls = 0;
    const unsubscribe = cart.subscribe(() => calls++);
    cart.add(mug, 1);
    cart.clear();
    unsubscribe();
    cart.add(tea, 1);
    expect(calls).toBe(2);
  });

  it("stores only cart lines: no tokens or user data", () => {
    const cart = new CartStore(localStorage);
    cart.add({ ...mug, accessToken: "secret" } as typeof mug, 1);
    const stored = JSON.parse(localStorage.getItem("cartwheel.cart.v1") ?? "[]") as unknown[];
    expect(Object.keys(localStorage)).toEqual(["cartwheel.cart.v1"]);
    expect(stored).toEqual([{ ...mug, quantity: 1 }]);
  });

  it("survives corrupt storage", () => {
    expect(parseCart("not json")).toEqual([]);
    expect(parseCart('{"a":1}')).toEqual([]);
    expect(parseCart(JSON.stringify([{ productId: 1 }, { ...mug, quantity: 2.7 }]))).toEqual([{ ...mug, quantity: 2 }]);
  });
});
