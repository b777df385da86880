import { z } from "zod";
import { orderStatuses } from "../enums.ts";
import { MAX_INT4, ORDER_EVENT_ID_MAX_LENGTH, ORDER_LINE_MAX_QUANTITY, ORDER_MAX_LINES } from "../limits.ts";
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

/**
 * orders.events: a customer's own orders, staff's all orders, optionally one order or one
 * new status. `lastEventId` resumes after that event (the EventSource sends it on reconnect).
 */
export const orderEventsSchema = z.object({
  orderId: idSchema.optional(),
  status: orderStatusSchema.optional(),
  lastEventId: z
    .string()
    .max(ORDER_EVENT_ID_MAX_LENGTH)
    .regex(/^(0|[1-9][0-9]*)$/, "An event id is a decimal number.")
    .nullish(),
});
export type OrderEventsInput = z.input<typeof orderEventsSchema>;
