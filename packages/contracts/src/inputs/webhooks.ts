// Webhook endpoints and their deliveries (admin only). The URL is bounded here, before it is
// parsed; whether it may be used (scheme, where it resolves) is the service's check, since it
// depends on the deployment (production, WEBHOOK_ALLOW_PRIVATE) and on DNS.
import { z } from "zod";
import { webhookEventTypes } from "../events.ts";
import { WEBHOOK_DELIVERIES_PAGE_MAX, WEBHOOK_DESCRIPTION_MAX_LENGTH, WEBHOOK_URL_MAX_LENGTH } from "../limits.ts";
import { idSchema, textSchema } from "./fields.ts";

export const webhookUrlSchema = z
  .string()
  .max(WEBHOOK_URL_MAX_LENGTH, { abort: true, error: `Keep the URL within ${WEBHOOK_URL_MAX_LENGTH} characters.` })
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: "Enter an http(s) URL." }));
const descriptionSchema = textSchema(WEBHOOK_DESCRIPTION_MAX_LENGTH).trim();
/** At least one event, each at most once (there are only a few). */
const eventTypesSchema = z
  .array(z.enum(webhookEventTypes))
  .min(1, { error: "Choose at least one event type." })
  .max(webhookEventTypes.length * 2, { abort: true })
  .transform((types) => [...new Set(types)].toSorted());

export const createWebhookEndpointSchema = z.object({
  url: webhookUrlSchema,
  description: descriptionSchema.default(""),
  eventTypes: eventTypesSchema,
});
export type CreateWebhookEndpointInput = z.infer<typeof createWebhookEndpointSchema>;

export const updateWebhookEndpointSchema = z.object({
  id: idSchema,
  url: webhookUrlSchema.optional(),
  description: descriptionSchema.optional(),
  eventTypes: eventTypesSchema.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateWebhookEndpointInput = z.infer<typeof updateWebhookEndpointSchema>;

export const listWebhookDeliveriesSchema = z.object({
  endpointId: idSchema,
  limit: z.number().int().min(1).max(WEBHOOK_DELIVERIES_PAGE_MAX).default(20),
});

export const redeliverWebhookSchema = z.object({ deliveryId: idSchema });
