import { describe, expect, it } from "vitest";
import { z } from "zod";
import { adjustStockSchema, listProductsSchema, placeOrderSchema, registerSchema } from "../src/index.ts";

/** Every message zod gives for an input, by path. */
function messagesFor(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error("expected the input to be refused");
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join(".") || "(input)", issue.message]));
}

describe("validation messages", () => {
  it("are plain words a person can act on, for every kind of refusal", () => {
    expect(messagesFor(registerSchema, { email: "a@b.co", password: "x", name: "  " })).toEqual({
      name: "Enter a value.",
    });
    expect(
      messagesFor(placeOrderSchema, {
        items: [{ productId: "not-an-id", quantity: 0 }],
        idempotencyKey: "0195f4a2-7c41-7b3e-9a51-2f1d5c3e8b7a",
      }),
    ).toEqual({ "items.0.productId": "This is not a valid id.", "items.0.quantity": "Enter 1 or more." });
    expect(
      messagesFor(placeOrderSchema, { items: [], idempotencyKey: "0195f4a2-7c41-7b3e-9a51-2f1d5c3e8b7a" }),
    ).toEqual({
      items: "Add at least one.",
    });
    expect(messagesFor(listProductsSchema, { limit: 2.5, sort: "cheapest", q: "x".repeat(500) })).toEqual({
      limit: "Enter a whole number.",
      sort: "Choose one of: newest, price_asc, price_desc, name.",
      q: expect.stringMatching(/^Use \d+ characters or fewer\.$/),
    });
    expect(messagesFor(adjustStockSchema, undefined)).toEqual({ "(input)": "This is required." });
  });

  it("leave a schema's own message alone", () => {
    expect(messagesFor(registerSchema, { email: "nope", password: "x", name: "Ada" })).toEqual({
      email: "Enter a valid email address.",
    });
  });
});
