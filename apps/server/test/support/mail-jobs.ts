// Runs the account mail jobs for what the outbox holds, as the worker would, through a real
// SMTP receiver: the server tests of password reset and verification read what arrives.
import { createAuthService } from "@cartwheel/auth";
import { parseDomainEvent, type RecordedEvent } from "@cartwheel/contracts";
import type { Database } from "@cartwheel/db";
import { accountMailEventTypes, accountMailHandlers, createMailer, loadMailConfig } from "@cartwheel/mail";
import type { SmtpReceiver } from "@cartwheel/mail/testing";
import { createLogger } from "@cartwheel/observability";
import { asc } from "drizzle-orm";

const logger = createLogger({ level: "error" });
const isAccountMail = (type: string): type is (typeof accountMailEventTypes)[number] =>
  (accountMailEventTypes as readonly string[]).includes(type);

/** Mails every account event recorded so far that has not been mailed by an earlier call. */
export function accountMailRunner(options: { database: Database; authSecret: string; receiver: SmtpReceiver }) {
  const done = new Set<string>();
  return async function runMailJobs(): Promise<void> {
    const { database, receiver } = options;
    const { db, schema: s } = database;
    const rows = await db.select().from(s.outboxEvents).orderBy(asc(s.outboxEvents.occurredAt));
    const auth = createAuthService({
      database,
      now: () => new Date(),
      logger,
      secret: new TextEncoder().encode(options.authSecret),
    });
    const config = loadMailConfig({ SMTP_URL: receiver.url, PUBLIC_URL: "https://shop.test" });
    const mailer = createMailer(config, { logger });
    const handlers = accountMailHandlers({ mailer, auth, config });
    try {
      for (const row of rows) {
        if (done.has(row.id) || !isAccountMail(row.type)) continue;
        const event: RecordedEvent = {
          ...parseDomainEvent(row.type, row.payload),
          id: row.id,
          occurredAt: row.occurredAt,
        };
        await handlers[row.type](event);
        done.add(row.id);
      }
    } finally {
      mailer.close();
    }
  };
}

/** The token of the first link to `path` in a mail's text part. */
export function tokenInLink(text: string | undefined, path: string): string {
  const match = new RegExp(`https://shop\\.test/${path}#token=(\\S+)`).exec(text ?? "");
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return decodeURIComponent(match[1]!);
}
