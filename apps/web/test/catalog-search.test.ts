import { describe, expect, it } from "vitest";
import { parseCatalogSearch, toListInput } from "../src/features/catalog/catalog-search.ts";
import { safeRedirect } from "../src/features/auth/safe-redirect.ts";

describe("catalog filters in the URL", () => {
  it("keeps valid filters and drops malformed ones", () => {
    expect(parseCatalogSearch({ q: "mug", min: "5", max: 20, inStock: "true", sort: "price_asc" })).toEqual({
      q: "mug",
      min: 5,
      max: 20,
      inStock: true,
      sort: "price_asc",
    });
    expect(parseCatalogSearch({ q: " ", min: "-1", max: "abc", inStock: "yes", sort: "random" })).toEqual({});
  });

  it("maps filters to catalog.list input in cents", () => {
    expect(toListInput({ q: "mug", min: 5.5, max: 20, inStock: true })).toEqual({
      limit: 20,
      q: "mug",
      minPriceCents: 550,
      maxPriceCents: 2000,
      inStock: true,
      sort: "newest",
    });
  });

  it("follows only same-site redirects after sign-in", () => {
    expect(safeRedirect("/orders")).toBe("/orders");
    expect(safeRedirect("//evil.example")).toBe("/");
    expect(safeRedirect("https://evil.example")).toBe("/");
    expect(safeRedirect(undefined)).toBe("/");
  });
});
