// Opens a job engine on a fresh database of each kind that runs one: the table engine on a
// SQLite file, pg-boss on a throwaway PostgreSQL database.
import { createDatabase, type Database } from "@cartwheel/db";
import { createThrowawayDatabaseUrl, testBackends } from "@cartwheel/db/testing";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPgBossEngine, createTableEngine, type JobEngine, type JobRegistry } from "../src/index.ts";

export type EngineKind = "table on sqlite" | "pg-boss on postgres";

export function engineKinds(): EngineKind[] {
  const postgres = testBackends().includes("postgres");
  return postgres ? ["table on sqlite", "pg-boss on postgres"] : ["table on sqlite"];
}

export interface OpenEngine {
  database: Database;
  url: string;
  engine(registry: JobRegistry): JobEngine & { relayOnce(): Promise<number> };
  close(): Promise<void>;
}

export async function openEngine(kind: EngineKind): Promise<OpenEngine> {
  if (kind === "table on sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "cartwheel-jobs-"));
    const url = `file:${join(dir, "jobs.db")}`;
    const database = await createDatabase(url);
    return {
      database,
      url,
      engine: (registry) => createTableEngine(database, { registry, pollMs: 50 }),
      async close() {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { url, drop } = await createThrowawayDatabaseUrl();
  const database = await createDatabase(url, { migrate: true });
  return {
    database,
    url,
    engine: (registry) => createPgBossEngine({ connectionString: url, label: "test", registry, relayPollMs: 50 }),
    async close() {
      await database.close();
      await drop();
    },
  };
}

/** Polls `check` until it holds; generous, since a busy machine may be slow but not wrong. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition did not hold in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
