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

export function createEventRecorder(database: Database, options: OutboxOptions = {}): EventRecorder<Db> {
  const now = options.now ?? (() => new Date());
  const { outboxEvents } = database.schema;
  return {
    async record(tx, event: DomainEvent) {
      // Validated on the way in too: a malformed event fails the change that makes it,
      // where the bug is, rather than a job later.
      const parsed = parseDomainEvent(event.type, event.payload);
      await tx.insert(outboxEvents).values({
        id: newId(),
        type: parsed.type,
        payload: parsed.payload,
        traceContext: options.traceContext?.() ?? null,
        occurredAt: now(),
      });
    },
  };
}
