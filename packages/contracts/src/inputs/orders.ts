import { z } from "zod";
import { orderStatuses } from "../enums.ts";
import {
  CARRIER_MAX_LENGTH,
  MAX_INT4,
  ORDER_EVENT_ID_MAX_LENGTH,
  ORDER_LINE_MAX_QUANTITY,
  ORDER_MAX_LINES,
  TRACKING_NUMBER_MAX_LENGTH,
} from "../limits.ts";
import { ORDER_REFERENCE_HINT, type OrderReference, parseOrderReference } from "../order-reference.ts";
import { emailSchema } from "./accounts.ts";
import { shippingAddressSchema } from "./addresses.ts";
import { cursorSchema, idSchema, pageSizeSchema, textSchema, timestampSchema } from "./fields.ts";

export const placeOrderSchema = z.object({
  items: z
    .array(z.object({ productId: idSchema, quantity: z.number().int().min(1).max(ORDER_LINE_MAX_QUANTITY) }))
    .min(1)
    .max(ORDER_MAX_LINES),
  idempotencyKey: idSchema,
  /** The web checkout always sends one; an order placed without one cannot be shipped. */
  shippingAddress: shippingAddressSchema.optional(),
});
export type PlaceOrderInput = z.input<typeof placeOrderSchema>;

const orderStatusSchema = z.enum(orderStatuses);

export const myOrdersSchema = z.object({
  cursor: cursorSchema.optional(),
  limit: pageSizeSchema,
  status: orderStatusSchema.optional(),
});
export type MyOrdersInput = z.input<typeof myOrdersSchema>;

/** A full order id or a short id, as `parseOrderReference` reads it. */
export const orderReferenceSchema = z
  .string()
  .max(64, { abort: true })
  .transform((text, ctx): OrderReference => {
    const reference = parseOrderReference(text);
    if (reference) return reference;
    ctx.addIssue({ code: "custom", message: `Enter ${ORDER_REFERENCE_HINT}.` });
    return z.NEVER;
  });

/** Staff's order search: every filter optional, all of them applied together. */
export const listOrdersSchema = myOrdersSchema
  .extend({
    userId: idSchema.optional(),
    reference: orderReferenceSchema.optional(),
    /** The customer's exact address (sign-in's normalisation), not a part of it. */
    email: emailSchema.optional(),
    /** Placed at or after. */
    placedFrom: timestampSchema.optional(),
    /** Placed before. */
    placedBefore: timestampSchema.optional(),
  })
  .refine((input) => !input.placedFrom || !input.placedBefore || input.placedFrom < input.placedBefore, {
    message: "The start of the date range must come before its end.",
    path: ["placedBefore"],
  });
export type ListOrdersInput = z.input<typeof listOrdersSchema>;
export type ListOrdersQuery = z.output<typeof listOrdersSchema>;

export const updateStatusSchema = z
  .object({
    id: idSchema,
    status: orderStatusSchema,
    expectedVersion: z.number().int().min(1).max(MAX_INT4).optional(),
    /** With `shipped` only: shown to the customer. */
    shipment: z
      .object({
        carrier: textSchema(CARRIER_MAX_LENGTH).trim().default(""),
        trackingNumber: textSchema(TRACKING_NUMBER_MAX_LENGTH).trim().default(""),
      })
      .optional(),
  })
  .refine((input) => !input.shipment || input.status === "shipped", {
    message: "A carrier and tracking number go only with the shipped status.",
    path: ["shipment"],
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
