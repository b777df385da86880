// Password reset through the built server, as people use it: @cartwheel/client asks for a
// reset, the server's own worker relays the event and its mail job mails the link through a
// real SMTP server, and the token from the link's fragment sets a new password and ends every
// session. On SQLite and PostgreSQL.
import { createCartwheelClient, type CartwheelTokens } from "@cartwheel/client";
import type { SmtpReceiver } from "@cartwheel/mail/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MailStack, startMailStack } from "./support/mail-stack.ts";
import type { ServerProcess } from "./support/server-process.ts";
import { tokenInLink } from "./support/mail-links.ts";

const AUTH_SECRET = "password-reset-test-secret-".padEnd(48, "x");

const reasonOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return (error as TRPCClientError<never>).data as unknown as { reason?: string; httpStatus: number };
};

describe.each(["sqlite", "postgres"] as const)("password reset over HTTP on %s", (dialect) => {
  let server: ServerProcess;
  let receiver: SmtpReceiver;

  let stack: MailStack | undefined;

  beforeAll(async () => {
    stack = await startMailStack(dialect, { AUTH_SECRET });
    ({ server, receiver } = stack);
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("answers alike for any address, mails a working link to the owner, and ends every session", async () => {
    const email = `reset-${dialect}@example.com`;
    let tokens: CartwheelTokens | null = null;
    const owner = createCartwheelClient({ url: server.url, onTokens: (next) => (tokens = next) });
    await owner.auth.register.mutate({ email, password: "Purple walrus dances 4", name: "Owner", transport: "token" });
    await owner.auth.login.mutate({ email, password: "Purple walrus dances 4", transport: "token" });
    expect(tokens).not.toBeNull();
    await expect(owner.auth.me.query()).resolves.toMatchObject({ email });

    const stranger = createCartwheelClient({ url: server.url });
    const known = await stranger.auth.requestPasswordReset.mutate({ email: email.toUpperCase() });
    const unknown = await stranger.auth.requestPasswordReset.mutate({ email: `nobody-${dialect}@example.com` });
    expect(known).toEqual({ status: "check_your_email" });
    expect(unknown).toEqual(known);

    // The sign-up's verification mail, and one reset mail for the known address only.
    const arrived = await receiver.waitFor(2);
    expect(arrived.map((m) => m.parsed.subject ?? "").toSorted((x, y) => x.localeCompare(y))).toEqual([
      "Choose a new password",
      "Confirm your e-mail address",
    ]);
    const mail = arrived.find((m) => m.parsed.subject === "Choose a new password");
    expect(mail!.recipients).toEqual([email]);
    const token = tokenInLink(mail!.parsed.text, "reset-password");

    const weak = await reasonOf(stranger.auth.resetPassword.mutate({ token, newPassword: "short" }));
    expect(weak.reason).toBe("invalid_password");
    await expect(stranger.auth.resetPassword.mutate({ token, newPassword: "Golden walrus naps 9" })).resolves.toEqual({
      ok: true,
    });
    // The owner's session is over: its refresh token no longer works.
    const ended = await reasonOf(owner.auth.refresh.mutate({ refreshToken: tokens!.refreshToken }));
    expect(ended.reason).toBe("invalid_refresh_token");
    // The link worked once.
    const reused = await reasonOf(stranger.auth.resetPassword.mutate({ token, newPassword: "Silver walrus naps 9" }));
    expect(reused.reason).toBe("invalid_account_token");
    await expect(
      stranger.auth.login.mutate({ email, password: "Golden walrus naps 9", transport: "token" }),
    ).resolves.toMatchObject({ user: { email } });
  });

  it("refuses a token that is too long or empty with a 400, before any lookup", async () => {
    const client = createCartwheelClient({ url: server.url, retry: { retries: 0 } });
    const long = await reasonOf(client.auth.verifyEmail.mutate({ token: "x".repeat(500) }));
    expect(long.httpStatus).toBe(400);
    const empty = await reasonOf(client.auth.resetPassword.mutate({ token: "", newPassword: "Golden walrus naps 9" }));
    expect(empty.httpStatus).toBe(400);
    const unknown = await reasonOf(client.auth.verifyEmail.mutate({ token: `${crypto.randomUUID()}.abc` }));
    expect(unknown.reason).toBe("invalid_account_token");
  });
});
