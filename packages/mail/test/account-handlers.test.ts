// The account mail jobs end to end: the auth service records an event in the outbox, the
// handler (as the job engine would call it) mails the owner through a real SMTP server, and
// the link in what arrived works with the auth service.
import { createAuthService } from "@cartwheel/auth";
import { parseDomainEvent, type RecordedEvent } from "@cartwheel/contracts";
import { createEventRecorder } from "@cartwheel/db";
import { openTestDatabase, testBackends, type TestDatabase } from "@cartwheel/db/testing";
import { createLogger } from "@cartwheel/observability";
import { testPii } from "@cartwheel/pii/testing";
import { asc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accountMailHandlers } from "../src/account-handlers.ts";
import { loadMailConfig } from "../src/config.ts";
import { tokenFromHash } from "../src/links.ts";
import { createMailer, type Mailer } from "../src/mailer.ts";
import { startSmtpReceiver, type SmtpReceiver } from "../src/testing.ts";

const meta = { ip: "203.0.113.9", userAgent: "vitest" };
const logger = createLogger({ level: "error" });
const now = () => new Date();

const linkIn = (text: string | undefined, path: string) => {
  const match = new RegExp(`https://shop\\.test/store/${path}#token=[^\\s]+`).exec(text ?? "");
  expect(match).not.toBeNull();
  return match![0];
};

describe.each(testBackends())("account mail handlers on %s", (backend) => {
  let receiver: SmtpReceiver;
  let database: TestDatabase;
  let mailer: Mailer;
  let auth: ReturnType<typeof createAuthService>;
  let handlers: ReturnType<typeof accountMailHandlers>;

  beforeAll(async () => {
    receiver = await startSmtpReceiver();
  });
  afterAll(() => receiver.close());
  beforeEach(async () => {
    database = await openTestDatabase(backend);
    auth = createAuthService({
      database,
      now,
      logger,
      secret: new Uint8Array(32).fill(3),
      events: createEventRecorder(database, { now }),
      ...testPii(),
    });
    const config = loadMailConfig({ SMTP_URL: receiver.url, PUBLIC_URL: "https://shop.test/store" });
    mailer = createMailer(config, { logger });
    handlers = accountMailHandlers({ mailer, auth, config });
    receiver.clear();
  });
  afterEach(async () => {
    mailer.close();
    await database.close();
  });

  async function outbox(): Promise<RecordedEvent[]> {
    const { db, schema: s } = database;
    const rows = await db.select().from(s.outboxEvents).orderBy(asc(s.outboxEvents.occurredAt));
    return rows.map((row) => ({ ...parseDomainEvent(row.type, row.payload), id: row.id, occurredAt: row.occurredAt }));
  }
  it("mails a reset link that works once, and a repeated job mails the same link", async () => {
    const email = `reset-${Date.now()}@example.com`;
    await auth.register({ email, password: "Old walrus rides 7", name: "Ada <b>" }, meta);
    await auth.requestPasswordReset({ email }, meta);
    const [event] = (await outbox()).filter((e) => e.type === "user.password_reset_requested");
    expect(await handlers["user.password_reset_requested"](event!)).toBe("sent");
    // At-least-once delivery: the job runs again for the same event.
    expect(await handlers["user.password_reset_requested"](event!)).toBe("sent");
    const [first, second] = await receiver.waitFor(2);
    expect(first!.recipients).toEqual([email]);
    expect(first!.parsed.subject).toBe("Choose a new password");
    expect(first!.parsed.html).toContain("Hello Ada &lt;b&gt;");
    const link = linkIn(first!.parsed.text, "reset-password");
    expect(linkIn(second!.parsed.text, "reset-password")).toBe(link);
    expect(second!.parsed.messageId).toBe(first!.parsed.messageId);

    const token = tokenFromHash(new URL(link).hash)!;
    await auth.resetPassword({ token, newPassword: "New walrus rides 8" });
    await expect(auth.login({ email, password: "New walrus rides 8" }, meta)).resolves.toBeTruthy();
    await expect(auth.resetPassword({ token, newPassword: "Third walrus rides 9" })).rejects.toMatchObject({
      reason: "invalid_account_token",
    });
  });

  it("mails a verification link on a verification request, which verifies the address", async () => {
    const email = `verify-${Date.now()}@example.com`;
    await auth.register({ email, password: "Quiet walrus sings 3", name: "Bo" }, meta);
    const { user } = await auth.login({ email, password: "Quiet walrus sings 3" }, meta);
    await auth.resendVerification(user.id, meta);
    const [event] = (await outbox()).filter((e) => e.type === "user.verification_requested");
    expect(await handlers["user.verification_requested"](event!)).toBe("sent");
    const [mail] = await receiver.waitFor(1);
    expect(mail!.parsed.subject).toBe("Confirm your e-mail address");
    const token = tokenFromHash(new URL(linkIn(mail!.parsed.text, "verify-email")).hash)!;
    await auth.verifyEmail({ token });
    const { db, schema: s } = database;
    const [row] = await db.select({ at: s.users.emailVerifiedAt }).from(s.users).where(eq(s.users.id, user.id));
    expect(row!.at).toBeInstanceOf(Date);
    // Once verified, a late or repeated job sends nothing.
    expect(await handlers["user.verification_requested"](event!)).toBe("skipped");
    expect(receiver.received).toHaveLength(1);
  });

  it("tells the owner about a repeated registration, with sign-in and reset links and no token", async () => {
    const email = `repeat-${Date.now()}@example.com`;
    await auth.register({ email, password: "Loud walrus hums 5", name: "Cy" }, meta);
    const { user } = await auth.login({ email, password: "Loud walrus hums 5" }, meta);
    const event: RecordedEvent = {
      id: crypto.randomUUID(),
      occurredAt: new Date(),
      type: "user.registration_repeated",
      payload: { userId: user.id },
    };
    expect(await handlers["user.registration_repeated"](event)).toBe("sent");
    const [mail] = await receiver.waitFor(1);
    expect(mail!.parsed.subject).toBe("Someone tried to register with your address");
    expect(mail!.parsed.text).toContain("https://shop.test/store/signin");
    expect(mail!.parsed.text).toContain("https://shop.test/store/forgot-password");
    expect(mail!.parsed.text).not.toContain("#token=");
  });

  it("sends nothing for an account that is gone, and refuses an event of another type", async () => {
    const gone: RecordedEvent = {
      id: crypto.randomUUID(),
      occurredAt: new Date(),
      type: "user.password_reset_requested",
      payload: { userId: crypto.randomUUID() },
    };
    expect(await handlers["user.password_reset_requested"](gone)).toBe("skipped");
    await expect(handlers["user.registered"](gone)).rejects.toThrow(/user.registered handler got/);
    expect(receiver.received).toHaveLength(0);
  });
});
