import {
  byIdSchema,
  createWebhookEndpointSchema,
  listWebhookDeliveriesSchema,
  redeliverWebhookSchema,
  updateWebhookEndpointSchema,
} from "@cartwheel/contracts";
import { adminProcedure, router } from "../trpc.ts";

export const webhooksRouter = router({
  /** The response's `secret` is the only time it is shown (and again only by rotateSecret). */
  create: adminProcedure
    .input(createWebhookEndpointSchema)
    .mutation(({ ctx, input }) => ctx.services.webhooks.create(input)),

  list: adminProcedure.query(({ ctx }) => ctx.services.webhooks.list()),

  update: adminProcedure
    .input(updateWebhookEndpointSchema)
    .mutation(({ ctx, input }) => ctx.services.webhooks.update(input)),

  /** A new secret, effective for the next attempt; the old one stops working at once. */
  rotateSecret: adminProcedure
    .input(byIdSchema)
    .mutation(({ ctx, input }) => ctx.services.webhooks.rotateSecret(input.id)),

  deliveries: adminProcedure
    .input(listWebhookDeliveriesSchema)
    .query(({ ctx, input }) => ctx.services.webhooks.listDeliveries(input)),

  /** Queues one more attempt with the same webhook-id and body; the worker makes it. */
  redeliver: adminProcedure
    .input(redeliverWebhookSchema)
    .mutation(({ ctx, input }) => ctx.services.webhooks.redeliver(input.deliveryId)),
});
