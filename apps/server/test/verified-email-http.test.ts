// Registration and verification through the built server with REQUIRE_VERIFIED_EMAIL=1:
// sign-up answers alike for new and taken addresses and signs nobody in; the signed-in,
// unverified owner cannot place an order (email_unverified), asks for a new link, follows
// it, and then can. On SQLite and PostgreSQL, through @cartwheel/client.
import { createCartwheelClient } from "@cartwheel/client";
import { type Database, seedCatalogIfEmpty } from "@cartwheel/db";
import type { ReceivedMail, SmtpReceiver } from "@cartwheel/mail/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MailStack, startMailStack } from "./support/mail-stack.ts";
import type { ServerProcess } from "./support/server-process.ts";
import { tokenInLink } from "./support/mail-links.ts";

/** Matches a received mail by its subject. */
const subjectIs = (text: string) => (mail: ReceivedMail) => mail.parsed.subject === text;

const AUTH_SECRET = "verified-email-test-secret-".padEnd(48, "x");

async function reasonOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return ((error as TRPCClientError<never>).data as unknown as { reason?: string }).reason;
}

describe.each(["sqlite", "postgres"] as const)("verified e-mail over HTTP on %s", (dialect) => {
  let server: ServerProcess;
  let receiver: SmtpReceiver;
  let database: Database;

  let stack: MailStack | undefined;

  beforeAll(async () => {
    stack = await startMailStack(dialect, { AUTH_SECRET, REQUIRE_VERIFIED_EMAIL: "1" });
    ({ server, receiver, database } = stack);
    await seedCatalogIfEmpty(database, { now: () => new Date() });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("blocks orders until the mailed link verifies the address, and tells a repeated sign-up's owner", async () => {
    const email = `verify-${dialect}@example.com`;
    const password = "Amber walrus counts 6";
    const client = createCartwheelClient({ url: server.url });
    const first = await client.auth.register.mutate({ email, password, name: "Vera", transport: "token" });
    const again = await client.auth.register.mutate({
      email,
      password: "Other walrus 12",
      name: "X",
      transport: "token",
    });
    expect(first).toEqual({ status: "check_your_email" });
    expect(again).toEqual(first);
    await expect(client.auth.me.query()).rejects.toBeInstanceOf(TRPCClientError); // nobody signed in

    // Two jobs, which may finish in either order.
    const verification = await receiver.waitForMail(subjectIs("Confirm your e-mail address"));
    await receiver.waitForMail(subjectIs("Someone tried to register with your address"));
    expect(receiver.received).toHaveLength(2);

    await client.auth.login.mutate({ email, password, transport: "token" });
    expect(await client.auth.me.query()).toMatchObject({ email, emailVerified: false });
    const { items } = await client.catalog.list.query({ limit: 1 });
    const order = () =>
      client.orders.place.mutate({
        items: [{ productId: items[0]!.id, quantity: 1 }],
        idempotencyKey: crypto.randomUUID(),
      });
    expect(await reasonOf(order())).toBe("email_unverified");

    await expect(client.auth.resendVerification.mutate()).resolves.toEqual({ status: "check_your_email" });
    const [, , resent] = await receiver.waitFor(3);
    const token = tokenInLink(resent!.parsed.text, "verify-email");
    expect(token).not.toBe(tokenInLink(verification.parsed.text, "verify-email"));
    await expect(client.auth.verifyEmail.mutate({ token })).resolves.toEqual({ ok: true });
    expect(await client.auth.me.query()).toMatchObject({ emailVerified: true });
    await expect(order()).resolves.toMatchObject({ status: "pending" });
    // The first link was left dead by the newer one's use.
    const older = tokenInLink(verification.parsed.text, "verify-email");
    expect(await reasonOf(client.auth.verifyEmail.mutate({ token: older }))).toBe("invalid_account_token");
  });
});
