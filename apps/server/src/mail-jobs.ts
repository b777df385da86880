// Mail as jobs: each event type @cartwheel/mail has a handler for (account, order and stock
// events) becomes one `mail.<event type>` job that runs that handler. The job carries the
// event as the relay published it, so a retry sends the same message under the same
// Message-ID (and, for account mail, the same link: the token is derived from the event id).
// The relay enqueues in the transaction that marks the event published, on SQLite's table
// engine and on pg-boss alike, so only a job's own retry repeats a mail.
import { type DomainEventType, parseDomainEvent, type RecordedEvent } from "@cartwheel/contracts";
import { defineJob, type JobRegistry } from "@cartwheel/jobs";
import { z } from "zod";

const publishedEvent = z.object({ eventId: z.uuid(), occurredAt: z.iso.datetime(), payload: z.unknown() });

type MailHandler = (event: RecordedEvent) => Promise<unknown>;

export function addMailJobs(registry: JobRegistry, handlers: Partial<Record<DomainEventType, MailHandler>>): void {
  for (const [type, handle] of Object.entries(handlers) as [DomainEventType, MailHandler][]) {
    const job = defineJob({
      name: `mail.${type}`,
      schema: publishedEvent,
      // SMTP outages pass; seven tries back off over about four minutes before the dead letter.
      retry: { limit: 6, delaySeconds: 4, backoff: "exponential" },
      handler: async ({ eventId, occurredAt, payload }) => {
        const event = { ...parseDomainEvent(type, payload), id: eventId, occurredAt: new Date(occurredAt) };
        await handle(event);
      },
    });
    registry.add(job).route(type, job.name, (event) => ({
      eventId: event.id,
      occurredAt: event.occurredAt.toISOString(),
      payload: event.payload,
    }));
  }
}
