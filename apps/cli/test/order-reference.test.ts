// resolveOrderId against a fake client, for what the e2e suite cannot arrange cheaply: a
// customer's own orders spread over several pages, more than two of them sharing a short id,
// and a failure other than FORBIDDEN, which must not be mistaken for "not staff".
import { TRPCClientError } from "@cartwheel/client";
import { describe, expect, it } from "vitest";
import { CliError, UsageError } from "../src/runtime/errors.ts";
import { type OrderFinder, readOrderReference, resolveOrderId } from "../src/runtime/order-reference.ts";

const orderId = (tail: string) => `0190d7a2-3b4c-7d5e-8f60-${tail}`;
const serverError = (code: string) =>
  new TRPCClientError(code, { result: { error: { code: -32603, message: code, data: { code } } } as never });

/** A customer: orders.list is refused; orders.mine serves `pages` in turn. */
function customer(pages: string[][], calls: string[] = []): OrderFinder {
  return {
    orders: {
      list: {
        query: () => {
          calls.push("list");
          return Promise.reject(serverError("FORBIDDEN"));
        },
      },
      mine: {
        query: ({ cursor }) => {
          calls.push(`mine:${cursor ?? "first"}`);
          const index = cursor === undefined ? 0 : Number(cursor);
          const next = index + 1 < pages.length ? String(index + 1) : null;
          return Promise.resolve({ items: pages[index]!.map((tail) => ({ id: orderId(tail) })), nextCursor: next });
        },
      },
    },
  };
}

describe("resolveOrderId", () => {
  it("uses a full id as it is, without asking the server", async () => {
    const calls: string[] = [];
    const id = orderId("7182b816d825");
    expect(await resolveOrderId(customer([], calls), readOrderReference(id.toUpperCase()))).toBe(id);
    expect(calls).toEqual([]);
  });

  it("finds a customer's order on a later page of their own orders", async () => {
    const calls: string[] = [];
    const finder = customer(
      [
        ["aaaaaaaaaaaa", "bbbbbbbbbbbb"],
        ["cccccccccccc", "7182b816d825"],
      ],
      calls,
    );
    expect(await resolveOrderId(finder, readOrderReference("Order B816D825"))).toBe(orderId("7182b816d825"));
    expect(calls).toEqual(["list", "mine:first", "mine:1"]);
  });

  it("names two of a customer's matching orders and says there are more", async () => {
    const finder = customer([["0000b816d825", "1111b816d825"], ["2222b816d825"]]);
    const failure = resolveOrderId(finder, readOrderReference("#b816d825"));
    await expect(failure).rejects.toThrow(CliError);
    await expect(failure).rejects.toThrow(
      `B816D825 is ambiguous: it matches orders B816D825 (${orderId("0000b816d825")}), ` +
        `B816D825 (${orderId("1111b816d825")}) and more; give more digits (up to 12) or the full id.`,
    );
  });

  it("passes any other server answer on instead of falling back to the caller's own orders", async () => {
    const calls: string[] = [];
    const finder = customer([["7182b816d825"]], calls);
    const unauthorized: OrderFinder = {
      orders: { ...finder.orders, list: { query: () => Promise.reject(serverError("UNAUTHORIZED")) } },
    };
    await expect(resolveOrderId(unauthorized, readOrderReference("B816D825"))).rejects.toThrow("UNAUTHORIZED");
    expect(calls).toEqual([]);
  });

  it("refuses text that is no order reference as a usage error", () => {
    expect(() => readOrderReference("B816D82")).toThrow(UsageError);
    expect(() => readOrderReference("B816D82", "--ref")).toThrow(/^--ref must be an order id, or its last 8 to 12/);
  });
});
