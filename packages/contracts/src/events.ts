// The domain events Cartwheel records in the same transaction as the change that causes them
// (the outbox), and that jobs, e-mail and webhooks consume. One schema per event type: the
// writer validates before recording, and every consumer parses before acting, so a row written
// by an older or newer build is refused loudly instead of half-understood.
import { z } from "zod";
import { orderStatuses } from "./enums.ts";

const uuid = z.uuid();

export const domainEventSchemas = {
  /** An order was placed (stock already taken); named as webhook receivers know it. */
  "order.created": z.object({ orderId: uuid, userId: uuid }),
  /** An order moved between states; `actorId` is null for the system (e.g. payment expiry). */
  "order.status_changed": z.object({
    orderId: uuid,
    userId: uuid,
    fromStatus: z.enum(orderStatuses),
    toStatus: z.enum(orderStatuses),
    actorId: uuid.nullable(),
  }),
  /** A product's stock crossed the low-stock threshold downwards. */
  "product.stock_low": z.object({ productId: uuid, stock: z.number().int(), threshold: z.number().int() }),
  /** A new account was created; its owner is sent a verification link. */
  "user.registered": z.object({ userId: uuid }),
  /** Someone tried to register an address that already has an account; its owner is told. */
  "user.registration_repeated": z.object({ userId: uuid }),
  /** The owner of an unverified account asked for a new verification link. */
  "user.verification_requested": z.object({ userId: uuid }),
  /** A password reset was asked for an existing account; its owner is sent a reset link. */
  "user.password_reset_requested": z.object({ userId: uuid }),
  /**
   * An admin asked for a webhook delivery to be tried again. Recorded through the outbox so an
   * API-only instance (WORKER=off, no job engine) can ask, and the worker picks it up.
   */
  "webhook.redelivery_requested": z.object({ deliveryId: uuid }),
} as const;

export type DomainEventType = keyof typeof domainEventSchemas;
export const domainEventTypes = Object.keys(domainEventSchemas) as DomainEventType[];

export type DomainEventPayload<T extends DomainEventType> = z.infer<(typeof domainEventSchemas)[T]>;

/** An event as recorded: its type and payload. The outbox gives it an id and a time. */
export type DomainEvent = {
  [T in DomainEventType]: { type: T; payload: DomainEventPayload<T> };
}[DomainEventType];

/** An event as read back from the outbox. */
export type RecordedEvent = DomainEvent & { id: string; occurredAt: Date };

/** The events a webhook endpoint may subscribe to: the ones outsiders care about. */
export const webhookEventTypes = [
  "order.created",
  "order.status_changed",
  "product.stock_low",
] as const satisfies readonly DomainEventType[];
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** Parses an event's payload by its type; throws a ZodError on anything else. */
export function parseDomainEvent(type: string, payload: unknown): DomainEvent {
  if (!(type in domainEventSchemas)) throw new Error(`unknown event type: ${type.slice(0, 64)}`);
  const schema = domainEventSchemas[type as DomainEventType];
  return { type, payload: schema.parse(payload) } as DomainEvent;
}

/**
 * Where a service records events: inside the transaction `tx` of the change itself, so that a
 * rollback takes the event with it. Implemented by `@cartwheel/jobs`' outbox.
 */
export interface EventRecorder<Tx = unknown> {
  record(tx: Tx, event: DomainEvent): Promise<void>;
}
