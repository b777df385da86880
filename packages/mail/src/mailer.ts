// Sends a message over SMTP (nodemailer), or, without SMTP_URL outside production, writes it
// as an .eml file under MAIL_DROP_DIRECTORY so that development needs no mail server and a
// person can open what would have been sent. Logs name the message kind, its Message-ID and
// the file, never the recipient: an address is personal data. Each send is a `mail.send`
// span (under the job that sends it) with the same kind and Message-ID, and no address.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@cartwheel/observability";
import { inSpan, SpanKind } from "@cartwheel/tracing";
import nodemailer from "nodemailer";
import type { MailConfig } from "./config.ts";
import type { MailMessage } from "./templates.ts";

export interface Outgoing {
  /** One address, or several for one message that each of them receives (staff notices). */
  to: string | string[];
  message: MailMessage;
  /** What the message is, for logs and the X-Cartwheel-Kind header (e.g. "password_reset"). */
  kind: string;
  /**
   * A stable id for this message (e.g. the id of the event it answers). A retried job sends
   * the same Message-ID, so a mailbox that dedupes by it shows one message.
   */
  id: string;
}

export interface SentMail {
  messageId: string;
  /** The .eml file written instead of sending, when there is no SMTP_URL. */
  file?: string;
}

export interface Mailer {
  send(outgoing: Outgoing): Promise<SentMail>;
  close(): void;
}

export interface MailerDeps {
  logger: Logger;
}

const domainOf = (from: string) => /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "localhost";

// Ids and kinds are ours (UUIDs, fixed words), but a file name must stay one path segment whatever comes.
const safeSegment = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 80);

export function createMailer(config: MailConfig, { logger }: MailerDeps): Mailer {
  if (!config.SMTP_URL && config.NODE_ENV === "production") throw new Error("Production needs SMTP_URL to send mail.");
  const transport = config.SMTP_URL
    ? nodemailer.createTransport(config.SMTP_URL)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const domain = domainOf(config.MAIL_FROM);
  const transportName = config.SMTP_URL ? "smtp" : "file";

  return {
    async send({ to, message, kind, id }) {
      const messageId = `<${safeSegment(id)}.${safeSegment(kind)}@${domain}>`;
      const attributes = { "mail.kind": kind, "mail.message_id": messageId, "mail.transport": transportName };
      // A failure records nodemailer's code (EAUTH, EENVELOPE), never its message: a refused
      // recipient's message quotes the address.
      const info = await inSpan("mail.send", { kind: SpanKind.CLIENT, attributes }, () =>
        transport.sendMail({
          from: config.MAIL_FROM,
          to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId,
          headers: { "X-Cartwheel-Kind": kind },
        }),
      );
      if (config.SMTP_URL) {
        logger.info({ event: "mail_sent", kind, messageId }, "mail sent");
        return { messageId };
      }
      await mkdir(config.MAIL_DROP_DIRECTORY, { recursive: true });
      const file = join(config.MAIL_DROP_DIRECTORY, `${safeSegment(id)}-${safeSegment(kind)}.eml`);
      await writeFile(file, (info as { message: Buffer }).message);
      logger.info({ event: "mail_dropped", kind, messageId, file }, `mail written to ${file}`);
      return { messageId, file };
    },
    close: () => transport.close(),
  };
}
