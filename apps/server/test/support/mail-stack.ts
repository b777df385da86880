// What the mail-over-HTTP tests share: the built server with its own worker (WORKER=inline, the
// default), which relays the outbox and mails through a real SMTP receiver, over a database
// migrated as a deploy's migrate step would (the server never migrates PostgreSQL on start).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findUserIdByEmail } from "@cartwheel/auth";
import { type CartwheelClient, createCartwheelClient } from "@cartwheel/client";
import { createDatabase, type Database, type Role } from "@cartwheel/db";
import { eq } from "drizzle-orm";
import { startSmtpReceiver, type SmtpReceiver } from "@cartwheel/mail/testing";
import { piiOfEnv, type TestPii, testPiiEnv } from "@cartwheel/pii/testing";
import { postgresForTest } from "./services.ts";
import { type ServerProcess, startServerProcess, untilReady } from "./server-process.ts";

const bundle = fileURLToPath(new URL("../../dist/index.mjs", import.meta.url));

export interface MailStack {
  server: ServerProcess;
  receiver: SmtpReceiver;
  /** The server's database, for what a test arranges or checks directly. */
  database: Database;
  databaseUrl: string;
  /** The server's PII keys, for rows a test reads or writes (users are found by their e-mail index). */
  pii: TestPii;
  /**
   * A client signed in as a new account (sign-up through the API) with `role` given straight
   * in the database, as an admin would; the id is found through the e-mail index.
   */
  signedIn(email: string, name: string, role: Role, password: string): Promise<{ client: CartwheelClient; id: string }>;
  stop(): Promise<void>;
}

/** Starts the stack on `dialect`; `env` adds to (or overrides) the server's settings. */
export async function startMailStack(dialect: "sqlite" | "postgres", env: Record<string, string>): Promise<MailStack> {
  const dir = mkdtempSync(join(tmpdir(), "cartwheel-mail-"));
  const postgres = dialect === "postgres" ? await postgresForTest() : undefined;
  const databaseUrl = postgres?.url ?? `file:${join(dir, "cartwheel.db")}`;
  const database = await createDatabase(databaseUrl, { migrate: true });
  const receiver = await startSmtpReceiver();
  // Known keys (unless `env` names its own), so the test can read what the server sealed.
  const settings = { ...testPiiEnv(), ...env };
  const server = await startServerProcess(bundle, {
    DATABASE_URL: databaseUrl,
    NODE_ENV: "test",
    SMTP_URL: receiver.url,
    PUBLIC_URL: "https://shop.test",
    ...settings,
  });
  await untilReady(server);
  const pii = piiOfEnv(settings);
  return {
    server,
    receiver,
    database,
    databaseUrl,
    pii,
    async signedIn(email, name, role, password) {
      const client = createCartwheelClient({ url: server.url });
      await client.auth.register.mutate({ email, password, name, transport: "token" });
      const id = await findUserIdByEmail(database, pii.emailIndexKey, email);
      if (!id) throw new Error(`no account for ${email}`);
      await database.db.update(database.schema.users).set({ role }).where(eq(database.schema.users.id, id));
      await client.auth.login.mutate({ email, password, transport: "token" });
      return { client, id };
    },
    async stop() {
      await receiver.close();
      await database.close();
      await server.stop();
      await postgres?.release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
