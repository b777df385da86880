// Input schemas with the limits the API promises. Routers validate with them at the edge;
// upsertMany re-validates each item here so one bad CSV row cannot sink the batch.
//
// The field schemas at the top hold what both databases can store, so a value one dialect
// would reject (and answer 500) is a 400 on every dialect before any query runs.
import { MAX_INT4, MAX_PRICE_CENTS, MAX_STOCK, orderStatuses } from "@cartwheel/db";
import { z } from "zod";

/** The column bounds live with the schema, whose CHECK constraints keep them too. */
export { MAX_INT4, MAX_PRICE_CENTS, MAX_STOCK };
export const MAX_UPSERT_ITEMS = 500;
/** Timestamps a caller may send: years 1 to 9999, inside both JavaScript's `Date` and PostgreSQL's range. */
export const MIN_TIMESTAMP_MS = Date.parse("0001-01-01T00:00:00.000Z");
export const MAX_TIMESTAMP_MS = Date.parse("9999-12-31T23:59:59.999Z");

/**
 * PostgreSQL text cannot hold NUL, and an unpaired UTF-16 surrogate has no UTF-8 form (the
 * driver would store U+FFFD instead, so what is read back differs from what was sent).
 */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isStorableText = (text: string) => !text.includes("\0") && !loneSurrogate.test(text);
export const UNSTORABLE_TEXT_MESSAGE = "must not contain NUL characters or unpaired UTF-16 surrogates";

/**
 * Every free-text input starts here: the size bound comes first and aborts, so no later
 * check (or the caller's code) ever runs on an oversized string. Add trim/min after it.
 */
export const textSchema = (max: number) =>
  z.string().max(max, { abort: true }).refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);

/**
 * A UUID in its canonical lowercase form. PostgreSQL's uuid type compares case-insensitively
 * while SQLite compares text, and row locks are taken in id order, so every id is normalised
 * here before it reaches a query or a sort.
 */
export const idSchema = z.uuid().toLowerCase();

/** An ISO 8601 timestamp with an offset, as a `Date` both databases can store. */
export const timestampSchema = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .pipe(z.date().min(new Date(MIN_TIMESTAMP_MS)).max(new Date(MAX_TIMESTAMP_MS)));

export const slugSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single dashes");
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD");
export const priceCentsSchema = z.number().int().min(0).max(MAX_PRICE_CENTS);
export const stockSchema = z.number().int().min(0).max(MAX_STOCK);
const cursorSchema = z.string().min(1).max(512);
const productNameSchema = textSchema(200).trim().min(1);
const descriptionSchema = textSchema(5000);

export const productFieldsSchema = z.object({
  slug: slugSchema,
  name: productNameSchema,
  description: descriptionSchema.default(""),
  priceCents: priceCentsSchema,
  currency: currencySchema.default("USD"),
});

export const createProductSchema = productFieldsSchema.extend({
  stock: stockSchema.default(0),
});
export type CreateProductInput = z.input<typeof createProductSchema>;

export const updateProductSchema = z.object({
  id: idSchema,
  slug: slugSchema.optional(),
  name: productNameSchema.optional(),
  description: descriptionSchema.optional(),
  priceCents: priceCentsSchema.optional(),
  currency: currencySchema.optional(),
});
export type UpdateProductInput = z.input<typeof updateProductSchema>;

export const productSorts = ["newest", "price_asc", "price_desc", "name"] as const;
export type ProductSort = (typeof productSorts)[number];

export const listProductsSchema = z.object({
  cursor: cursorSchema.optional(),
  limit: z.number().int().min(1).max(100).default(20),
  q: textSchema(200).trim().optional(),
  minPriceCents: priceCentsSchema.optional(),
  maxPriceCents: priceCentsSchema.optional(),
  inStock: z.boolean().optional(),
  sort: z.enum(productSorts).default("newest"),
});
export type ListProductsInput = z.input<typeof listProductsSchema>;

/** Staff adjust stock by hand; the order reasons belong to the order flow. */
export const adjustStockSchema = z.object({
  productId: idSchema,
  delta: z
    .number()
    .int()
    .min(-MAX_STOCK)
    .max(MAX_STOCK)
    .refine((delta) => delta !== 0, "delta must not be 0"),
  reason: z.enum(["restock", "adjustment"]),
  note: textSchema(500).optional(),
});
export type AdjustStockInput = z.input<typeof adjustStockSchema>;

/** One CSV row: the shape is checked at the edge, the limits per item by the service. */
export const upsertItemSchema = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string().optional(),
  priceCents: z.number(),
  currency: z.string().optional(),
  stock: z.number().optional(),
});
export type UpsertItem = z.input<typeof upsertItemSchema>;
export const upsertManySchema = z.object({ items: z.array(upsertItemSchema).min(1).max(MAX_UPSERT_ITEMS) });

export const placeOrderSchema = z.object({
  items: z
    .array(z.object({ productId: idSchema, quantity: z.number().int().min(1).max(100) }))
    .min(1)
    .max(50),
  idempotencyKey: idSchema,
});
export type PlaceOrderInput = z.input<typeof placeOrderSchema>;

const orderStatusSchema = z.enum(orderStatuses);

export const myOrdersSchema = z.object({
  cursor: cursorSchema.optional(),
  limit: z.number().int().min(1).max(100).default(20),
  status: orderStatusSchema.optional(),
});
export type MyOrdersInput = z.input<typeof myOrdersSchema>;

export const listOrdersSchema = myOrdersSchema.extend({ userId: idSchema.optional() });
export type ListOrdersInput = z.input<typeof listOrdersSchema>;

export const updateStatusSchema = z.object({
  id: idSchema,
  status: orderStatusSchema,
  expectedVersion: z.number().int().min(1).max(MAX_INT4).optional(),
});
export type UpdateStatusInput = z.input<typeof updateStatusSchema>;
