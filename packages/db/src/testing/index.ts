// Test-only helpers: every suite that touches the database runs once per backend.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createDatabase } from "../create-database.ts";
import type { Database } from "../database.ts";
import { openPglite } from "../open-pglite.ts";
import { errorLine } from "../error-line.ts";
import { redactUrl } from "../database-url.ts";
import { openPostgres } from "../open-postgres.ts";

export type Backend = "sqlite-memory" | "sqlite-file" | "pglite" | "postgres";

/**
 * The backends a suite runs on: SQLite and PGlite always, and a real PostgreSQL server
 * when TEST_DATABASE_URL is set. Under CI=true PostgreSQL is always listed, so a missing
 * server fails the run instead of skipping it. `sqlite: "both"` is for the db package's
 * own contract tests, which must hold for in-memory and file databases alike.
 */
export function testBackends(options: { sqlite?: "memory" | "file" | "both" } = {}): Backend[] {
  const sqlite: Backend[] =
    options.sqlite === "both"
      ? ["sqlite-memory", "sqlite-file"]
      : [options.sqlite === "file" ? "sqlite-file" : "sqlite-memory"];
  const backends: Backend[] = [...sqlite, "pglite"];
  if (process.env.TEST_DATABASE_URL || process.env.CI === "true") backends.push("postgres");
  return backends;
}

/** Backends that can run real concurrency: separate connections, real locks. */
export function concurrencyBackends(): Backend[] {
  return testBackends({ sqlite: "file" }).filter((backend) => backend !== "pglite");
}

export interface TestDatabase extends Database {
  readonly backend: Backend;
}

/** Opens a fresh, migrated, private database; `close()` throws it away. */
export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  switch (backend) {
    case "sqlite-memory":
      return { ...(await createDatabase(":memory:")), backend };
    case "sqlite-file": {
      const dir = mkdtempSync(join(tmpdir(), "cartwheel-test-"));
      const removeDir = () => rmSync(dir, { recursive: true, force: true });
      const database = await createDatabase(`file:${join(dir, "test.db")}`).catch((error: unknown) => {
        removeDir();
        throw error;
      });
      return {
        ...database,
        backend,
        async close() {
          await database.close();
          removeDir();
        },
      };
    }
    case "pglite":
      return { ...(await openPglite()), backend };
    case "postgres":
      return openThrowawayPostgres();
  }
}

/** A server URL for tests; CI exports it, and without it Postgres tests fail under CI. */
export function testPostgresUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set: PostgreSQL tests cannot run (CI=true never skips them)");
  return url;
}

const THROWAWAY_PREFIX = "cw_test_";
/** Throwaways older than this are leftovers of killed runs; no test run lasts that long. */
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;
let staleSwept = false;

/**
 * Creates a uniquely named database on the test server, so parallel test files (and
 * parallel runs by other people on the same server) never share state. The name carries
 * its creation time, which lets later runs drop what a killed run left behind.
 */
export async function createThrowawayDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = testPostgresUrl();
  const name = `${THROWAWAY_PREFIX}${Date.now().toString(36)}_${randomBytes(6).toString("hex")}`;
  await withAdmin(serverUrl, async (admin) => {
    if (!staleSwept) {
      staleSwept = true;
      await dropStaleThrowaways(admin);
    }
    await admin.query(`create database ${name}`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    // WITH (FORCE) ends sessions a failed test left open, which would otherwise block the drop.
    drop: () =>
      (dropped ??= withAdmin(serverUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`))),
  };
}

async function withAdmin(serverUrl: string, work: (admin: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    // Under CI=true this fails the run, as it must: the Postgres tests never skip silently.
    throw new Error(`PostgreSQL test server ${redactUrl(serverUrl)} is unreachable: ${errorLine(error)}`, {
      cause: error,
    });
  }
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}

async function dropStaleThrowaways(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "select datname from pg_database where datname like 'cw\\_test\\_%'",
  );
  for (const { datname } of rows) {
    const match = /^cw_test_([0-9a-z]{8})_[0-9a-f]{12}$/.exec(datname);
    const age = match ? Date.now() - Number.parseInt(match[1]!, 36) : Number.NaN;
    if (!(age > STALE_AFTER_MS)) continue; // recent, or not a name this helper made
    await admin.query(`drop database if exists ${datname} with (force)`).catch(() => undefined);
  }
}

async function openThrowawayPostgres(): Promise<TestDatabase> {
  const { url, drop } = await createThrowawayDatabaseUrl();
  const database = await openPostgres({ url, migrate: true, max: 20 }).catch(async (error: unknown) => {
    await drop();
    throw error;
  });
  return {
    ...database,
    backend: "postgres",
    async close() {
      await database.close();
      await drop();
    },
  };
}
export { findPostgresBin, freePort, makeCertificates } from "./local-servers.ts";

/** Raw SQL on one PostgreSQL session, for tests that act as an operator would (roles, pg_terminate_backend). */
export interface PostgresSession {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}

export async function openPostgresSession(url: string): Promise<PostgresSession> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    query: async (text, params) => ({ rows: (await client.query(text, params)).rows as Record<string, unknown>[] }),
    end: () => client.end(),
  };
}
export { insertDeadLetteredJob } from "./dead-letter.ts";
