// `cartwheel users reset-password` as an admin runs it: the built binary against the built
// server; the mail job (run here as the worker would) then mails the owner a working link
// through a real SMTP server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuthService } from "@cartwheel/auth";
import { createCartwheelClient } from "@cartwheel/client";
import { parseDomainEvent } from "@cartwheel/contracts";
import { createDatabase, type Database } from "@cartwheel/db";
import { accountMailHandlers, createMailer, loadMailConfig, tokenFromHash } from "@cartwheel/mail";
import { startSmtpReceiver, type SmtpReceiver } from "@cartwheel/mail/testing";
import { createLogger } from "@cartwheel/observability";
import { createPiiBox, resolvePiiKeys } from "@cartwheel/pii";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartwheel, ensureBuilt, type RunningServer, startServer } from "./harness.ts";

const ADMIN_EMAIL = "reset-admin@example.test";
const PASSWORD = "correct horse battery staple 42";
const AUTH_SECRET = "cli-reset-password-test-secret-".padEnd(48, "x");

let dir = "";
let server: RunningServer;
let database: Database;
let receiver: SmtpReceiver;
let env: Record<string, string> = {};

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cartwheel-cli-reset-"));
  const databaseUrl = `file:${join(dir, "cartwheel.db")}`;
  env = { XDG_CONFIG_HOME: join(dir, "config") };
  const created = await cartwheel(
    ["users", "create", "--email", ADMIN_EMAIL, "--role", "admin", "--password-stdin", "--database-url", databaseUrl],
    { env, input: `${PASSWORD}\n` },
  );
  if (created.code !== 0) throw new Error(`bootstrapping the admin failed: ${created.stderr}`);
  server = await startServer({ DATABASE_URL: databaseUrl, AUTH_SECRET }, dir);
  env = { ...env, CARTWHEEL_URL: server.url };
  database = await createDatabase(databaseUrl);
  receiver = await startSmtpReceiver();
}, 90_000);

afterAll(async () => {
  await receiver?.close();
  await database?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("cartwheel users reset-password", () => {
  it("mails the user a reset link that sets a new password, and names an unknown user clearly", async () => {
    const customer = "forgetful@example.test";
    const shop = createCartwheelClient({ url: server.url });
    await shop.auth.register.mutate({ email: customer, password: PASSWORD, name: "Forgetful", transport: "token" });
    const login = await cartwheel(["login", "--email", ADMIN_EMAIL, "--password-stdin"], {
      env,
      input: `${PASSWORD}\n`,
    });
    expect(login.code).toBe(0);

    const result = await cartwheel(["users", "reset-password", customer], { env });
    expect(result.stderr).toContain(`A password reset link is on its way to ${customer}`);
    expect(result.code).toBe(0);

    const { db, schema: s } = database;
    const rows = await db.select().from(s.outboxEvents).where(eq(s.outboxEvents.type, "user.password_reset_requested"));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    const logger = createLogger({ level: "error" });
    // The keys `users create` generated beside the database, which the server reads too.
    const keys = resolvePiiKeys({ dataFolder: dir, production: false });
    const auth = createAuthService({
      database,
      now: () => new Date(),
      logger,
      secret: new TextEncoder().encode(AUTH_SECRET),
      pii: createPiiBox(keys.ring),
      emailIndexKey: keys.indexKey,
    });
    const config = loadMailConfig({ SMTP_URL: receiver.url, PUBLIC_URL: "https://shop.test" });
    const mailer = createMailer(config, { logger });
    const event = {
      ...parseDomainEvent("user.password_reset_requested", row.payload),
      id: row.id,
      occurredAt: row.occurredAt,
    };
    await accountMailHandlers({ mailer, auth, config })["user.password_reset_requested"](event);
    mailer.close();

    const [mail] = await receiver.waitFor(1);
    expect(mail!.recipients).toEqual([customer]);
    const link = /https:\/\/shop\.test\/reset-password#token=\S+/.exec(mail!.parsed.text ?? "")![0];
    await shop.auth.resetPassword.mutate({
      token: tokenFromHash(new URL(link).hash)!,
      newPassword: "Fresh walrus paints 8",
    });
    await expect(
      shop.auth.login.mutate({ email: customer, password: "Fresh walrus paints 8", transport: "token" }),
    ).resolves.toMatchObject({ user: { email: customer } });

    const unknown = await cartwheel(["users", "reset-password", "nobody@example.test"], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no user with email nobody@example.test");
  });
});
