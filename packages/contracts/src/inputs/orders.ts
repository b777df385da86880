import { z } from "zod";
import { orderStatuses } from "../enums.ts";
import { MAX_INT4, ORDER_LINE_MAX_QUANTITY, ORDER_MAX_LINES } from "../limits.ts";
import { cursorSchema, idSchema, pageSizeSchema } from "./fields.ts";

export const placeOrderSchema = z.object({
  items: z
    .array(z.object({ productId: idSchema, quantity: z.number().int().min(1).max(ORDER_LINE_MAX_QUANTITY) }))
    .min(1)
    .max(ORDER_MAX_LINES),
  idempotencyKey: idSchema,
});
export type PlaceOrderInput = z.input<typeof placeOrderSchema>;

const orderStatusSchema = z.enum(orderStatuses);

export const myOrdersSchema = z.object({
  cursor: cursorSchema.optional(),
  limit: pageSizeSchema,
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
