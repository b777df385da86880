// The jobs that mail an account's owner, one per account event. Each takes the event as the
// outbox recorded it. Delivery is at least once, so a handler may run again for the same
// event: the token is issued with the event's id (account-tokens.ts derives the same secret
// from it) and the Message-ID comes from it too, so a repeat mails the same link, never a
// second live one.
import type { RecordedEvent } from "@cartwheel/contracts";
import type { MailConfig } from "./config.ts";
import { linkTo } from "./links.ts";
import type { Mailer } from "./mailer.ts";
import { emailVerification, passwordReset, registrationRepeated } from "./templates.ts";

/** What the handlers need of the auth service (createAuthService gives all of it). */
export interface AccountMailAuth {
  accountTokens: {
    issue(input: { purpose: "password_reset" | "email_verification"; userId: string; id: string }): Promise<string>;
  };
  /** The account's address and name, or null when it is gone or disabled (then nothing is sent). */
  mailRecipient(userId: string): Promise<{ email: string; name: string; emailVerified: boolean } | null>;
  /** How long a password reset link works. */
  passwordResetTtlSeconds: number;
}

export interface AccountMailDeps {
  mailer: Mailer;
  auth: AccountMailAuth;
  config: Pick<MailConfig, "PUBLIC_URL">;
}

export const accountMailEventTypes = [
  "user.registered",
  "user.registration_repeated",
  "user.password_reset_requested",
  "user.verification_requested",
] as const;
export type AccountMailEventType = (typeof accountMailEventTypes)[number];

export type AccountMailOutcome = "sent" | "skipped";
type Handler = (event: RecordedEvent) => Promise<AccountMailOutcome>;

export function accountMailHandlers({ mailer, auth, config }: AccountMailDeps): Record<AccountMailEventType, Handler> {
  const link = (path: string, token?: string) => linkTo(config.PUBLIC_URL, path, token);

  function userOf(event: RecordedEvent, type: AccountMailEventType): string {
    if (event.type !== type) throw new Error(`the ${type} handler got a ${event.type} event`);
    return event.payload.userId;
  }

  async function sendVerification(event: RecordedEvent, type: AccountMailEventType): Promise<AccountMailOutcome> {
    const userId = userOf(event, type);
    const recipient = await auth.mailRecipient(userId);
    // Verified by the time the job ran (or by an earlier run): the link would only confuse.
    if (!recipient || recipient.emailVerified) return "skipped";
    const token = await auth.accountTokens.issue({ purpose: "email_verification", userId, id: event.id });
    const message = emailVerification({ name: recipient.name, link: link("verify-email", token) });
    await mailer.send({ to: recipient.email, message, kind: "email_verification", id: event.id });
    return "sent";
  }

  return {
    "user.registered": (event) => sendVerification(event, "user.registered"),
    "user.verification_requested": (event) => sendVerification(event, "user.verification_requested"),

    async "user.registration_repeated"(event) {
      const userId = userOf(event, "user.registration_repeated");
      const recipient = await auth.mailRecipient(userId);
      if (!recipient) return "skipped";
      const message = registrationRepeated({
        name: recipient.name,
        signInLink: link("signin"),
        resetLink: link("forgot-password"),
      });
      await mailer.send({ to: recipient.email, message, kind: "registration_repeated", id: event.id });
      return "sent";
    },

    async "user.password_reset_requested"(event) {
      const userId = userOf(event, "user.password_reset_requested");
      const recipient = await auth.mailRecipient(userId);
      if (!recipient) return "skipped";
      const token = await auth.accountTokens.issue({ purpose: "password_reset", userId, id: event.id });
      const message = passwordReset({
        name: recipient.name,
        link: link("reset-password", token),
        validMinutes: Math.round(auth.passwordResetTtlSeconds / 60),
      });
      await mailer.send({ to: recipient.email, message, kind: "password_reset", id: event.id });
      return "sent";
    },
  };
}
