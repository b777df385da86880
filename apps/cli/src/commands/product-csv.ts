// The CSV format shared by `products import` and `products export`, and the row checks that
// mirror the API's own limits (packages/commerce/src/inputs.ts), so a file is judged in full
// before anything is sent.
import type { RouterInputs } from "@cartwheel/client";
import { z } from "zod";

export const CSV_COLUMNS = ["slug", "name", "description", "price_cents", "currency", "stock"] as const;
export type CsvRecord = Record<(typeof CSV_COLUMNS)[number], string>;

const MAX_PRICE_CENTS = 100_000_000;
const MAX_STOCK = 1_000_000_000;
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
    .max(120, "must be at most 120 characters")
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lowercase letters, digits and single dashes"),
  name: z.string().trim().min(1, "is required").max(200, "must be at most 200 characters"),
  description: z.string().max(5000, "must be at most 5000 characters"),
  price_cents: wholeNumber(MAX_PRICE_CENTS),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD"),
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
