import { type CreateDatabaseOptions, createDatabase } from "../create-database.ts";
import { DEFAULT_DATABASE_URL, resolveDatabaseUrl } from "../database-url.ts";
import type { Database } from "../database.ts";
import { errorLine } from "../error-line.ts";

/**
 * DATABASE_URL, with a relative SQLite path taken relative to where the user ran npm
 * (INIT_CWD) rather than this package, which is where npm workspaces run scripts.
 */
function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  return env.INIT_CWD ? resolveDatabaseUrl(url, env.INIT_CWD) : url;
}

/**
 * Runs one database task as a command: opens DATABASE_URL, prints the task's summary line,
 * and on failure prints one line (no stack trace) and exits 1.
 */
export async function runDatabaseTask(
  task: (database: Database) => Promise<string>,
  options: CreateDatabaseOptions = {},
): Promise<void> {
  let database: Database | undefined;
  try {
    database = await createDatabase(databaseUrlFromEnv(), options);
    process.stdout.write(`${await task(database)}\n`);
  } catch (error) {
    process.stderr.write(`${errorLine(error)}\n`);
    process.exitCode = 1;
  } finally {
    await database?.close();
  }
}
