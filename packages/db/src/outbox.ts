// The writing half of the transactional outbox. A service records an event with the same
// transaction handle it changes data with, so the event commits or rolls back with the change:
// a crash can neither lose the event of a committed change nor leave one for a rolled-back one.
// Reading the outbox (the relay to the job engine) is @cartwheel/jobs' concern.
import { parseDomainEvent, type DomainEvent, type EventRecorder } from "@cartwheel/contracts";
import type { Database, Db } from "./database.ts";
import { newId } from "./schema/ids.ts";

export interface OutboxOptions {
  now?: () => Date;
  /** The W3C trace context to store with each event (the current request's), if any. */
  traceContext?: () => string | undefined;
}

/** The outbox's writer; statements that write events in SQL (order placement) take the trace context from it. */
export interface OutboxWriter extends EventRecorder<Db> {
  traceContext(): string | null;
}

export function createEventRecorder(database: Database, options: OutboxOptions = {}): OutboxWriter {
  const now = options.now ?? (() => new Date());
  const { outboxEvents } = database.schema;
  const traceContext = () => options.traceContext?.() ?? null;
  return {
    traceContext,
    async record(tx, event: DomainEvent) {
      // Validated on the way in too: a malformed event fails the change that makes it,
      // where the bug is, rather than a job later.
      const parsed = parseDomainEvent(event.type, event.payload);
      await tx.insert(outboxEvents).values({
        id: newId(),
        type: parsed.type,
        payload: parsed.payload,
        traceContext: traceContext(),
        occurredAt: now(),
      });
    },
  };
}
