// The account requests that end in a mail: a password reset, a new verification link, and
// the notice to an address's owner that someone tried to register it again. Each records a
// domain event in a transaction (the outbox), and the mail job sends from it; without an
// event recorder (tests, tools) nothing is recorded.
//
// None of them may tell a caller whether an address has an account: the answer, and the work
// done before it, are the same either way (one lookup, one transaction).
import type { DomainEvent, EventRecorder } from "@cartwheel/contracts";
import { DomainError } from "@cartwheel/contracts";
import type { Database, Db } from "@cartwheel/db";
import type { Logger } from "@cartwheel/observability";
import { normaliseEmail } from "@cartwheel/pii";
import { eq } from "drizzle-orm";
import type { AccountMailKind, AccountMailThrottle } from "./account-mail-throttle.ts";
import type { UserSealing } from "./user-pii.ts";

export interface AccountFlowDeps {
  database: Database;
  logger: Logger;
  events?: EventRecorder<Db>;
  throttle: AccountMailThrottle;
  sealing: UserSealing;
}

/** What every request that may mail someone answers, whoever the address belongs to. */
export interface CheckYourEmail {
  status: "check_your_email";
}
const checkYourEmail: CheckYourEmail = { status: "check_your_email" };

export const throttledRequest = (seconds: number) =>
  new DomainError("throttled", `Too many requests. Try again in ${seconds} seconds.`, { retryAfterSeconds: seconds });

export function createAccountFlows({ database, logger, events, throttle, sealing }: AccountFlowDeps) {
  const { schema: s } = database;

  const record = (tx: Db, event: DomainEvent) => (events ? events.record(tx, event) : Promise.resolve());

  async function admit(kind: AccountMailKind, email: string, ip: string) {
    const wait = await throttle.attempt(kind, { email, ip });
    if (wait === null) return;
    logger.warn({ event: "account_mail_throttled", kind, ip }, "account mail request throttled");
    throw throttledRequest(wait);
  }

  /** In one transaction: finds the enabled account with this address and records `build(id)` for it. */
  const recordForAddress = (email: string, build: (userId: string) => DomainEvent) =>
    database.transaction(async (tx) => {
      const [user] = await tx
        .select({ id: s.users.id, disabledAt: s.users.disabledAt })
        .from(s.users)
        .where(sealing.byEmail(email));
      const userId = user && !user.disabledAt ? user.id : null;
      if (userId) await record(tx, build(userId));
      return userId;
    });

  return {
    /** Inside the sign-up's transaction: the new owner is sent a verification link. */
    recordRegistered: (tx: Db, userId: string) => record(tx, { type: "user.registered", payload: { userId } }),

    requestPasswordReset: async (input: { email: string }, meta: { ip: string }): Promise<CheckYourEmail> => {
      const email = normaliseEmail(input.email);
      await admit("password_reset", email, meta.ip);
      const userId = await recordForAddress(email, (id) => ({
        type: "user.password_reset_requested",
        payload: { userId: id },
      }));
      logger.info({ event: "password_reset_requested", userId, ip: meta.ip }, "password reset requested");
      return checkYourEmail;
    },

    /**
     * Someone registered an address that has an account. Its owner is told, a few times an
     * hour at most; past that the notice is dropped silently, since an error here would say
     * the address is taken.
     */
    registrationRepeated: async (email: string, meta: { ip: string }): Promise<CheckYourEmail> => {
      const allowed = (await throttle.attempt("registration_repeated", { email, ip: meta.ip })) === null;
      const userId = allowed
        ? await recordForAddress(email, (id) => ({ type: "user.registration_repeated", payload: { userId: id } }))
        : null;
      logger.info({ event: "signup_repeated", userId, notified: allowed, ip: meta.ip }, "sign-up for a taken address");
      return checkYourEmail;
    },

    /** A signed-in owner of an unverified account asks for a new link; a verified one gets nothing new. */
    resendVerification: async (userId: string, meta: { ip: string }): Promise<CheckYourEmail> => {
      const [user] = await database.db
        .select({ email: s.users.email, verifiedAt: s.users.emailVerifiedAt })
        .from(s.users)
        .where(eq(s.users.id, userId));
      if (!user) throw new DomainError("not_found", "No such user.", { entity: "user", ids: [userId] });
      await admit("verification_resend", sealing.openEmail(user.email), meta.ip);
      if (user.verifiedAt) return checkYourEmail;
      await database.transaction((tx) => record(tx, { type: "user.verification_requested", payload: { userId } }));
      logger.info({ event: "verification_resent", userId }, "verification link asked for again");
      return checkYourEmail;
    },

    /**
     * An admin sends the account's owner a reset link (`cartwheel users reset-password`). Not
     * throttled (admins are few and known) and not secret: an admin may list accounts anyway.
     */
    sendPasswordReset: async (userId: string): Promise<{ email: string }> => {
      const sent = await database.transaction(async (tx) => {
        const [user] = await tx
          .select({ email: s.users.email, disabledAt: s.users.disabledAt })
          .from(s.users)
          .where(eq(s.users.id, userId));
        if (!user || user.disabledAt) return null;
        await record(tx, { type: "user.password_reset_requested", payload: { userId } });
        return { email: sealing.openEmail(user.email) };
      });
      if (!sent) throw new DomainError("not_found", "No such enabled user.", { entity: "user", ids: [userId] });
      logger.info({ event: "password_reset_sent_by_admin", userId }, "password reset link sent by an admin");
      return sent;
    },

    /** Whom to mail for an account event: null when the account is gone or disabled. */
    mailRecipient: async (userId: string) => {
      const [user] = await database.db
        .select({
          email: s.users.email,
          name: s.users.name,
          disabledAt: s.users.disabledAt,
          emailVerifiedAt: s.users.emailVerifiedAt,
        })
        .from(s.users)
        .where(eq(s.users.id, userId));
      if (!user || user.disabledAt) return null;
      const { email, name } = sealing.openUser(user);
      return { email, name, emailVerified: user.emailVerifiedAt !== null };
    },
  };
}

export type AccountFlows = ReturnType<typeof createAccountFlows>;
