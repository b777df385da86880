// Webhooks as jobs. Each webhook event the outbox relays becomes one `webhooks.fan_out` job,
// which creates a delivery per enabled, subscribed endpoint and queues one `webhooks.deliver`
// job for each. A delivery job makes one attempt and, when it fails, queues the next itself at
// nextAttemptDelay's time (×4 from 5 s, capped at 6 h: about a day over WEBHOOK_MAX_ATTEMPTS),
// since the engines' own retry policies only double. The engine's retries are kept for the
// job's own failures (a lost database), and an attempt already made is never made twice.
import { parseDomainEvent, webhookEventTypes } from "@cartwheel/contracts";
import { defineJob, type JobRegistry } from "@cartwheel/jobs";
import type { Logger } from "@cartwheel/observability";
import type { WebhookService } from "@cartwheel/webhooks";
import { z } from "zod";

/** Queues a job (the engine's `send`, bound once the engine exists). */
export type Enqueue = (name: string, payload: unknown, startAfter?: Date) => Promise<unknown>;

const publishedEvent = z.object({
  eventId: z.uuid(),
  type: z.enum(webhookEventTypes),
  occurredAt: z.iso.datetime(),
  payload: z.unknown(),
});
const deliveryAttempt = z.object({ deliveryId: z.uuid(), attempt: z.number().int().min(1) });
const infrastructureRetry = { limit: 3, delaySeconds: 5, backoff: "exponential" as const };

export function addWebhookJobs(
  registry: JobRegistry,
  deps: { webhooks: WebhookService; enqueue: Enqueue; now: () => Date; logger: Logger; retentionDays: number },
): void {
  const { webhooks, enqueue, now, logger } = deps;

  const attempt = async (deliveryId: string, run: () => ReturnType<WebhookService["attempt"]>) => {
    const result = await run();
    // The endpoint's URL is not logged: receivers often put a token in it.
    if (result.made) logger.info({ deliveryId, ...result.made, next: result.next }, "webhook attempt");
    if (result.next === "retry") {
      await enqueue(deliver.name, { deliveryId, attempt: result.attempt }, new Date(now().getTime() + result.delayMs));
    }
  };

  const deliver = defineJob({
    name: "webhooks.deliver",
    schema: deliveryAttempt,
    retry: infrastructureRetry,
    handler: ({ deliveryId, attempt: number }) => attempt(deliveryId, () => webhooks.attempt(deliveryId, number)),
  });

  const fanOut = defineJob({
    name: "webhooks.fan_out",
    schema: publishedEvent,
    handler: async ({ eventId, type, occurredAt, payload }) => {
      const event = { ...parseDomainEvent(type, payload), id: eventId, occurredAt: new Date(occurredAt) };
      const deliveryIds = await webhooks.fanOut(event, await webhooks.subscribers(type));
      for (const deliveryId of deliveryIds) await enqueue(deliver.name, { deliveryId, attempt: 1 });
    },
  });

  const redeliver = defineJob({
    name: "webhooks.redeliver",
    schema: z.object({ deliveryId: z.uuid() }),
    retry: infrastructureRetry,
    handler: ({ deliveryId }) => attempt(deliveryId, () => webhooks.redeliverNow(deliveryId)),
  });

  const purge = defineJob({
    name: "webhooks.purge",
    schema: z.object({}),
    handler: async () => {
      const before = new Date(now().getTime() - deps.retentionDays * 86_400_000);
      logger.info({ deleted: await webhooks.purgeDeliveries(before) }, "purged settled webhook deliveries");
    },
  });

  registry.add(deliver).add(fanOut).add(redeliver).add(purge);
  registry.schedule(purge.name, "41 3 * * *");
  for (const type of webhookEventTypes) {
    registry.route(type, fanOut.name, (event) => ({
      eventId: event.id,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
      payload: event.payload,
    }));
  }
  registry.route("webhook.redelivery_requested", redeliver.name);
}
