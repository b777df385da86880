// The one choice of engine: pg-boss where the database is PostgreSQL over the network, the
// table engine for SQLite (and PGlite, which only this process can open).
import type { Database } from "@cartwheel/db";
import type { JobEngine, JobObserver } from "./engine.ts";
import { createPgBossEngine } from "./pg-boss-engine.ts";
import type { JobRegistry } from "./registry.ts";
import { createTableEngine } from "./table-engine.ts";

export interface CreateJobEngineOptions {
  registry: JobRegistry;
  observer?: JobObserver;
  /** The PostgreSQL URL pg-boss connects to; absent on SQLite and PGlite. */
  postgresUrl?: string;
  retentionDays?: number;
  concurrency?: number;
}

export function createJobEngine(database: Database, options: CreateJobEngineOptions): JobEngine {
  if (database.dialect === "postgres" && options.postgresUrl) {
    return createPgBossEngine({
      connectionString: options.postgresUrl,
      label: database.label,
      registry: options.registry,
      observer: options.observer,
      retentionDays: options.retentionDays,
      concurrency: options.concurrency,
    });
  }
  return createTableEngine(database, options);
}
