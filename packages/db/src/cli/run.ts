import { isAbsolute, resolve } from "node:path";
import { type CreateDatabaseOptions, DEFAULT_DATABASE_URL, createDatabase } from "../create-database.ts";
import type { Database } from "../database.ts";
import { errorLine } from "../error-line.ts";

/**
 * DATABASE_URL, with a relative SQLite path taken relative to where the user ran npm
 * (INIT_CWD) rather than this package, which is where npm workspaces run scripts.
 */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const path = url.startsWith("file:") ? url.slice("file:".length) : null;
  if (path === null || isAbsolute(path) || !env.INIT_CWD) return url;
  return `file:${resolve(env.INIT_CWD, path)}`;
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
