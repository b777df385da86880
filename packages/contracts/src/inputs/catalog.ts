import { z } from "zod";
import { manualStockReasons, productSorts } from "../enums.ts";
import {
  CATALOG_SEARCH_MAX_LENGTH,
  DEFAULT_CURRENCY,
  MAX_STOCK,
  MAX_UPSERT_ITEMS,
  PRODUCT_DESCRIPTION_MAX_LENGTH,
  PRODUCT_NAME_MAX_LENGTH,
  STOCK_NOTE_MAX_LENGTH,
} from "../limits.ts";
import {
  currencySchema,
  cursorSchema,
  idSchema,
  pageSizeSchema,
  priceCentsSchema,
  slugSchema,
  stockSchema,
  textSchema,
} from "./fields.ts";

const productNameSchema = textSchema(PRODUCT_NAME_MAX_LENGTH).trim().min(1);
const descriptionSchema = textSchema(PRODUCT_DESCRIPTION_MAX_LENGTH);

export const productFieldsSchema = z.object({
  slug: slugSchema,
  name: productNameSchema,
  description: descriptionSchema.default(""),
  priceCents: priceCentsSchema,
  currency: currencySchema.default(DEFAULT_CURRENCY),
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

export const bySlugSchema = z.object({ slug: slugSchema });

export const listProductsSchema = z.object({
  cursor: cursorSchema.optional(),
  limit: pageSizeSchema,
  q: textSchema(CATALOG_SEARCH_MAX_LENGTH).trim().optional(),
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
  reason: z.enum(manualStockReasons),
  note: textSchema(STOCK_NOTE_MAX_LENGTH).optional(),
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
