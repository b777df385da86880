// `npm run db:seed`: writes the demo catalog to DATABASE_URL. Safe to run again.
// PostgreSQL needs `npm run db:migrate` first; opening SQLite applies migrations itself.
import { errorLine } from "../error-line.ts";
import { seedCatalog } from "../seed/catalog.ts";
import { runDatabaseTask } from "./run.ts";

const UNDEFINED_TABLE = "42P01";

const hasCode = (error: unknown, code: string): boolean =>
  error instanceof Error && ((error as { code?: unknown }).code === code || hasCode(error.cause, code));

await runDatabaseTask(async (database) => {
  try {
    const { inserted, existing } = await seedCatalog(database, { now: () => new Date() });
    return `Demo catalog on ${database.label}: ${inserted} products added, ${existing} already present`;
  } catch (error) {
    if (!hasCode(error, UNDEFINED_TABLE)) throw error;
    throw new Error(`${errorLine(error)}: apply the migrations first (npm run db:migrate)`, { cause: error });
  }
});
