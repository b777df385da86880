// Deliveries: one per event and subscribed endpoint, tried until a 2xx or WEBHOOK_MAX_ATTEMPTS,
// every attempt logged. The job handlers (apps/server webhook-jobs.ts) call these; the
// retry schedule is nextAttemptDelay's, so the caller is told when to try again.
import { DomainError, type RecordedEvent, type WebhookDeliveryOutcome } from "@cartwheel/contracts";
import { and, desc, eq, inArray, lt, ne } from "drizzle-orm";
import { deliverWebhook } from "./deliver.ts";
import type { WebhookEndpointView, WebhookServiceDeps } from "./endpoints.ts";
import { nextAttemptDelay } from "./retry.ts";
import { openSecret } from "./secret-box.ts";

export interface WebhookAttemptView {
  attempt: number;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  ok: boolean;
  attemptedAt: Date;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  /** The webhook-id of every attempt. */
  eventId: string;
  eventType: string;
  outcome: WebhookDeliveryOutcome;
  attempts: number;
  lastStatusCode: number | null;
  createdAt: Date;
  updatedAt: Date;
  attemptLog: WebhookAttemptView[];
}

/** What the job does next: nothing more, or the next attempt after `delayMs`. */
export type AttemptResult = (
  { next: "done"; outcome: WebhookDeliveryOutcome } | { next: "retry"; attempt: number; delayMs: number }
) & {
  /** The attempt just made, for the worker's log; absent when none was made. */
  made?: { statusCode: number | null; latencyMs: number; error: string | null };
};

const deliveryNotFound = (id: string) =>
  new DomainError("not_found", "No such webhook delivery.", { entity: "webhook_delivery", ids: [id] });

/** The Standard Webhooks payload shape: type, timestamp, data. */
export const webhookBody = (event: RecordedEvent) =>
  JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: event.payload });

export function createDeliveries(
  deps: WebhookServiceDeps,
  { find }: { find: (id: string) => Promise<WebhookEndpointView> },
) {
  const { database, now, secretKey, allowPrivate } = deps;
  const { db, schema: s } = database;
  const d = s.webhookDeliveries;
  const a = s.webhookAttempts;
  const e = s.webhookEndpoints;
  const columns = {
    id: d.id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    outcome: d.outcome,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };

  async function attemptLogs(ids: string[]) {
    if (ids.length === 0) return new Map<string, WebhookAttemptView[]>();
    const rows = await db
      .select({
        deliveryId: a.deliveryId,
        attempt: a.attempt,
        statusCode: a.statusCode,
        latencyMs: a.latencyMs,
        error: a.error,
        ok: a.ok,
        attemptedAt: a.attemptedAt,
      })
      .from(a)
      .where(inArray(a.deliveryId, ids))
      .orderBy(a.deliveryId, a.attempt);
    const logs = new Map<string, WebhookAttemptView[]>();
    for (const { deliveryId, ...attempt } of rows) logs.set(deliveryId, [...(logs.get(deliveryId) ?? []), attempt]);
    return logs;
  }

  const deliveries = {
    /**
     * Creates the deliveries of `event` for `endpointIds` (a second run creates none) and
     * returns the ids of those not tried yet, which the caller queues: a fan-out that failed
     * halfway queues the rest when it runs again.
     */
    async fanOut(event: RecordedEvent, endpointIds: string[]): Promise<string[]> {
      if (endpointIds.length === 0) return [];
      const at = now();
      const body = webhookBody(event);
      await db
        .insert(d)
        .values(
          endpointIds.map((endpointId) => ({
            endpointId,
            eventId: event.id,
            eventType: event.type,
            body,
            createdAt: at,
            updatedAt: at,
          })),
        )
        .onConflictDoNothing();
      const untried = await db
        .select({ id: d.id })
        .from(d)
        .where(and(eq(d.eventId, event.id), eq(d.attempts, 0), inArray(d.endpointId, endpointIds)));
      return untried.map((row) => row.id);
    },

    /**
     * Attempt number `attempt` of a delivery: signs, sends, logs it. An attempt already made
     * (a job run twice) is not made again. `manual` (a redelivery) never schedules another.
     */
    async attempt(deliveryId: string, attempt: number, options: { manual?: boolean } = {}): Promise<AttemptResult> {
      const [row] = await db
        .select({
          outcome: d.outcome,
          attempts: d.attempts,
          eventId: d.eventId,
          body: d.body,
          endpointId: e.id,
          url: e.url,
          enabled: e.enabled,
          secretCiphertext: e.secretCiphertext,
        })
        .from(d)
        .innerJoin(e, eq(e.id, d.endpointId))
        .where(eq(d.id, deliveryId));
      if (!row || row.outcome !== "pending" || row.attempts >= attempt) {
        return { next: "done", outcome: row?.outcome ?? "dead" };
      }
      if (!row.enabled) {
        // Disabling an endpoint stops its queued retries too.
        await db.update(d).set({ outcome: "dead", updatedAt: now() }).where(eq(d.id, deliveryId));
        return { next: "done", outcome: "dead" };
      }
      const result = await deliverWebhook({
        url: row.url,
        secret: openSecret(secretKey, row.endpointId, row.secretCiphertext),
        messageId: row.eventId,
        body: row.body,
        now,
        allowPrivate,
        endpointId: row.endpointId,
        attempt,
      });
      const delayMs = result.ok || options.manual ? null : nextAttemptDelay(attempt);
      const outcome: WebhookDeliveryOutcome = result.ok ? "delivered" : delayMs === null ? "dead" : "pending";
      await database.transaction(async (tx) => {
        await tx
          .insert(a)
          .values({
            deliveryId,
            attempt,
            statusCode: result.statusCode,
            latencyMs: result.latencyMs,
            error: result.error,
            ok: result.ok,
            attemptedAt: now(),
          })
          .onConflictDoNothing();
        await tx
          .update(d)
          .set({ outcome, attempts: attempt, lastStatusCode: result.statusCode, updatedAt: now() })
          .where(eq(d.id, deliveryId));
      });
      const made = { statusCode: result.statusCode, latencyMs: result.latencyMs, error: result.error };
      return delayMs === null
        ? { next: "done", outcome, made }
        : { next: "retry", attempt: attempt + 1, delayMs, made };
    },

    /** Newest first, each with its attempts (status code, latency, error). */
    async listDeliveries(input: { endpointId: string; limit: number }): Promise<WebhookDeliveryView[]> {
      await find(input.endpointId);
      const rows = await db
        .select(columns)
        .from(d)
        .where(eq(d.endpointId, input.endpointId))
        .orderBy(desc(d.createdAt), desc(d.id))
        .limit(input.limit);
      const logs = await attemptLogs(rows.map((row) => row.id));
      return rows.map((row) => ({ ...row, attemptLog: logs.get(row.id) ?? [] }));
    },

    /**
     * Asks for one more attempt of a delivery, whatever its outcome so far, with the same
     * webhook-id and body. Recorded in the outbox with the change, so the worker makes it.
     */
    async redeliver(deliveryId: string): Promise<{ id: string; outcome: WebhookDeliveryOutcome }> {
      const { events } = deps;
      if (!events) throw new Error("redelivery needs the outbox (events)");
      return database.transaction(async (tx) => {
        const [row] = await tx
          .update(d)
          .set({ outcome: "pending", updatedAt: now() })
          .where(eq(d.id, deliveryId))
          .returning({ id: d.id, outcome: d.outcome });
        if (!row) throw deliveryNotFound(deliveryId);
        await events.record(tx, { type: "webhook.redelivery_requested", payload: { deliveryId } });
        return row;
      });
    },

    /**
     * Deletes settled deliveries (delivered or dead) last changed before `before`, with their
     * attempts; a pending one is kept whatever its age, since a retry may still come.
     */
    async purgeDeliveries(before: Date): Promise<number> {
      const gone = await db
        .delete(d)
        .where(and(lt(d.updatedAt, before), ne(d.outcome, "pending")))
        .returning({ id: d.id });
      return gone.length;
    },

    /** The attempt a redelivery asked for: the one after the last, never retried by itself. */
    async redeliverNow(deliveryId: string): Promise<AttemptResult> {
      const [row] = await db.select({ attempts: d.attempts }).from(d).where(eq(d.id, deliveryId));
      if (!row) return { next: "done", outcome: "dead" };
      return deliveries.attempt(deliveryId, row.attempts + 1, { manual: true });
    },
  };
  return deliveries;
}
