import { productSorts, type ProductSort } from "@cartwheel/contracts/enums";
import { CATALOG_SEARCH_MAX_LENGTH } from "@cartwheel/contracts/limits";
import { minorUnitsPerMajor } from "../../lib/money.ts";

export const sortLabels: Record<ProductSort, string> = {
  newest: "Newest",
  price_asc: "Price: low to high",
  price_desc: "Price: high to low",
  name: "Name",
};

/** Catalog filters as they live in the URL (prices in major units, e.g. dollars). */
export interface CatalogSearch {
  q?: string;
  min?: number;
  max?: number;
  inStock?: boolean;
  sort?: ProductSort;
}

function nonNegativeNumber(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && value !== "" ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Validates untrusted URL search params; unknown or malformed values are dropped. */
export function parseCatalogSearch(raw: Record<string, unknown>): CatalogSearch {
  const search: CatalogSearch = {};
  if (typeof raw.q === "string" && raw.q.trim() !== "") search.q = raw.q.slice(0, CATALOG_SEARCH_MAX_LENGTH);
  const min = nonNegativeNumber(raw.min);
  if (min !== undefined) search.min = min;
  const max = nonNegativeNumber(raw.max);
  if (max !== undefined) search.max = max;
  if (raw.inStock === true || raw.inStock === "true") search.inStock = true;
  if (typeof raw.sort === "string" && (productSorts as readonly string[]).includes(raw.sort)) {
    search.sort = raw.sort as ProductSort;
  }
  return search;
}

/** The catalog.list input for these filters (the catalog is priced in USD). */
export function toListInput(search: CatalogSearch) {
  const perMajor = minorUnitsPerMajor("USD");
  return {
    limit: 20,
    ...(search.q ? { q: search.q } : {}),
    ...(search.min !== undefined ? { minPriceCents: Math.round(search.min * perMajor) } : {}),
    ...(search.max !== undefined ? { maxPriceCents: Math.round(search.max * perMajor) } : {}),
    ...(search.inStock ? { inStock: true } : {}),
    sort: search.sort ?? "newest",
  };
}
