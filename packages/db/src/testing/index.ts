// Test-only helpers: every suite that touches the database runs once per backend.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createDatabase } from "../create-database.ts";
import type { Database } from "../database.ts";
import { openPglite } from "../open-pglite.ts";
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
      const database = await createDatabase(`file:${join(dir, "test.db")}`);
      return {
        ...database,
        backend,
        async close() {
          await database.close();
          rmSync(dir, { recursive: true, force: true });
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

/** Creates a uniquely named database on the test server, so parallel test files never share state. */
export async function createThrowawayDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = testPostgresUrl();
  const name = `cw_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

async function openThrowawayPostgres(): Promise<TestDatabase> {
  const { url, drop } = await createThrowawayDatabaseUrl();
  const database = await openPostgres({ url, migrate: true, max: 20 });
  return {
    ...database,
    backend: "postgres",
    async close() {
      await database.close();
      await drop();
    },
  };
}
