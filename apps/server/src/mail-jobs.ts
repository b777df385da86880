// Account mail as jobs: each account event the outbox records becomes one `mail.<event type>`
// job, whose handler is @cartwheel/mail's for that event. The job carries the event as the
// relay published it, so a retry mails the same link (the token is derived from the event id).
import type { AuthService } from "@cartwheel/auth";
import { parseDomainEvent } from "@cartwheel/contracts";
import { defineJob, type JobRegistry } from "@cartwheel/jobs";
import { accountMailEventTypes, accountMailHandlers, type Mailer, type MailConfig } from "@cartwheel/mail";
import { z } from "zod";

const publishedEvent = z.object({ eventId: z.uuid(), occurredAt: z.iso.datetime(), payload: z.unknown() });

export function addAccountMailJobs(
  registry: JobRegistry,
  deps: { auth: AuthService; mailer: Mailer; config: Pick<MailConfig, "PUBLIC_URL"> },
): void {
  const handlers = accountMailHandlers(deps);
  for (const type of accountMailEventTypes) {
    const job = defineJob({
      name: `mail.${type}`,
      schema: publishedEvent,
      // SMTP outages pass; seven tries back off over about four minutes before the dead letter.
      retry: { limit: 6, delaySeconds: 4, backoff: "exponential" },
      handler: async ({ eventId, occurredAt, payload }) => {
        const event = { ...parseDomainEvent(type, payload), id: eventId, occurredAt: new Date(occurredAt) };
        await handlers[type](event);
      },
    });
    registry.add(job).route(type, job.name, (event) => ({
      eventId: event.id,
      occurredAt: event.occurredAt.toISOString(),
      payload: event.payload,
    }));
  }
}
