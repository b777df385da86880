import { describe, expect, it } from "vitest";
import { readProductCsv } from "../src/commands/product-import.ts";

const header = "slug,name,description,price_cents,currency,stock";

describe("readProductCsv", () => {
  it("turns rows into upsert items with their CSV line numbers, across quoted newlines", () => {
    const { rows, failed } = readProductCsv(
      [header, 'mug,Mug,"two\nlines",1299,USD,5', "cap,Cap,,500,EUR,0", ""].join("\n"),
    );
    expect(failed).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        row: { slug: "mug", name: "Mug", description: "two\nlines", priceCents: 1299, currency: "USD", stock: 5 },
      },
      { line: 4, row: { slug: "cap", name: "Cap", description: "", priceCents: 500, currency: "EUR", stock: 0 } },
    ]);
  });

  it("returns no rows at all when any row fails, with every failure's line and reason", () => {
    const { rows, failed } = readProductCsv(
      [header, "ok,Fine,,1,USD,1", "ok,Again,,1,USD,1", "x,,,-1,US,1.5"].join("\r\n"),
    );
    expect(rows).toEqual([]);
    expect(failed).toHaveLength(2);
    expect(failed[0]).toEqual({ line: 3, slug: "ok", reason: "slug already used on line 2" });
    expect(failed[1]!.line).toBe(4);
    expect(failed[1]!.reason).toMatch(/name is required.*price_cents must be a whole number.*currency.*stock/);
  });

  it("rejects a header that is not the export format", () => {
    expect(() => readProductCsv("slug,title,price\nmug,Mug,1\n")).toThrow(
      /missing name, description, price_cents, currency, stock; unknown title, price/,
    );
  });
});
