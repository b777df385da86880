// The CSV format shared by `products import` and `products export`, and the row checks, built
// from the API's own limits and patterns (@cartwheel/contracts), so a file is judged in full
// before anything is sent. CSV cells are text, hence schemas of their own with messages that
// name the column.
import type { RouterInputs } from "@cartwheel/client";
import {
  CURRENCY_HINT,
  CURRENCY_PATTERN,
  MAX_PRICE_CENTS,
  MAX_STOCK,
  PRODUCT_DESCRIPTION_MAX_LENGTH,
  PRODUCT_NAME_MAX_LENGTH,
  SLUG_HINT,
  SLUG_MAX_LENGTH,
  SLUG_PATTERN,
} from "@cartwheel/contracts";
import { z } from "zod";

export const CSV_COLUMNS = ["slug", "name", "description", "price_cents", "currency", "stock"] as const;
export type CsvRecord = Record<(typeof CSV_COLUMNS)[number], string>;

const wholeNumber = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number of 0 or more")
    .transform(Number)
    .pipe(z.number().max(max, `must be at most ${max}`));

export const productRowSchema = z.object({
  slug: z
    .string()
    .trim()
    .min(1, "is required")
    .max(SLUG_MAX_LENGTH, `must be at most ${SLUG_MAX_LENGTH} characters`)
    .regex(SLUG_PATTERN, `must be ${SLUG_HINT}`),
  name: z
    .string()
    .trim()
    .min(1, "is required")
    .max(PRODUCT_NAME_MAX_LENGTH, `must be at most ${PRODUCT_NAME_MAX_LENGTH} characters`),
  description: z
    .string()
    .max(PRODUCT_DESCRIPTION_MAX_LENGTH, `must be at most ${PRODUCT_DESCRIPTION_MAX_LENGTH} characters`),
  price_cents: wholeNumber(MAX_PRICE_CENTS),
  currency: z.string().trim().regex(CURRENCY_PATTERN, `must be ${CURRENCY_HINT}`),
  stock: wholeNumber(MAX_STOCK),
});

/** One upsertMany item with every column filled in, as a CSV row always has them. */
export type ProductRow = Required<RouterInputs["catalog"]["upsertMany"]["items"][number]>;

export function toProductRow(record: z.output<typeof productRowSchema>): ProductRow {
  return {
    slug: record.slug,
    name: record.name,
    description: record.description,
    priceCents: record.price_cents,
    currency: record.currency,
    stock: record.stock,
  };
}

export function toCsvRecord(product: ProductRow): CsvRecord {
  return {
    slug: product.slug,
    name: product.name,
    description: product.description,
    price_cents: String(product.priceCents),
    currency: product.currency,
    stock: String(product.stock),
  };
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "row"} ${issue.message}`).join("; ");
}
