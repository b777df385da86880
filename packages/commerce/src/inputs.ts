// Input schemas with the limits the API promises. Routers validate with them at the edge;
// upsertMany re-validates each item here so one bad CSV row cannot sink the batch.
import { orderStatuses } from "@cartwheel/db";
import { z } from "zod";

/** Keeps every stock level and order total inside a 32-bit integer column. */
export const MAX_STOCK = 1_000_000_000;
export const MAX_PRICE_CENTS = 100_000_000;
export const MAX_UPSERT_ITEMS = 500;

export const slugSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single dashes");
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD");
const priceCentsSchema = z.number().int().min(0).max(MAX_PRICE_CENTS);
const cursorSchema = z.string().min(1).max(512);

export const productFieldsSchema = z.object({
  slug: slugSchema,
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(""),
  priceCents: priceCentsSchema,
  currency: currencySchema.default("USD"),
});

export const createProductSchema = productFieldsSchema.extend({
  stock: z.number().int().min(0).max(MAX_STOCK).default(0),
});
export type CreateProductInput = z.input<typeof createProductSchema>;

export const updateProductSchema = z.object({
  id: z.uuid(),
  slug: slugSchema.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(5000).optional(),
  priceCents: priceCentsSchema.optional(),
  currency: currencySchema.optional(),
});
export type UpdateProductInput = z.input<typeof updateProductSchema>;

export const productSorts = ["newest", "price_asc", "price_desc", "name"] as const;
export type ProductSort = (typeof productSorts)[number];

export const listProductsSchema = z.object({
  cursor: cursorSchema.optional(),
  limit: z.number().int().min(1).max(100).default(20),
  q: z.string().trim().max(200).optional(),
  minPriceCents: priceCentsSchema.optional(),
  maxPriceCents: priceCentsSchema.optional(),
  inStock: z.boolean().optional(),
  sort: z.enum(productSorts).default("newest"),
});
export type ListProductsInput = z.input<typeof listProductsSchema>;

/** Staff adjust stock by hand; the order reasons belong to the order flow. */
export const adjustStockSchema = z.object({
  productId: z.uuid(),
  delta: z
    .number()
    .int()
    .min(-MAX_STOCK)
    .max(MAX_STOCK)
    .refine((delta) => delta !== 0, "delta must not be 0"),
  reason: z.enum(["restock", "adjustment"]),
  note: z.string().max(500).optional(),
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
    .array(z.object({ productId: z.uuid(), quantity: z.number().int().min(1).max(100) }))
    .min(1)
    .max(50),
  idempotencyKey: z.uuid(),
});
export type PlaceOrderInput = z.input<typeof placeOrderSchema>;

const orderStatusSchema = z.enum(orderStatuses);

export const myOrdersSchema = z.object({
  cursor: cursorSchema.optional(),
  limit: z.number().int().min(1).max(100).default(20),
  status: orderStatusSchema.optional(),
});
export type MyOrdersInput = z.input<typeof myOrdersSchema>;

export const listOrdersSchema = myOrdersSchema.extend({ userId: z.uuid().optional() });
export type ListOrdersInput = z.input<typeof listOrdersSchema>;

export const updateStatusSchema = z.object({
  id: z.uuid(),
  status: orderStatusSchema,
  expectedVersion: z.number().int().min(1).optional(),
});
export type UpdateStatusInput = z.input<typeof updateStatusSchema>;
