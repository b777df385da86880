import { createDatabase } from "../create-database.ts";
import { newId } from "../schema/index.ts";

/**
 * A `credentials.purge` run that failed on its only attempt, as the SQLite jobs table holds a
 * dead letter: what the jobs admin (CLI and staff pages) lists, shows and retries. Real
 * failures take minutes of retries; the router tests make handlers fail for real.
 */
export async function insertDeadLetteredJob(databaseUrl: string): Promise<string> {
  const database = await createDatabase(databaseUrl);
  try {
    const id = newId();
    const at = new Date();
    await database.db.insert(database.schema.jobs).values({
      id,
      name: "credentials.purge",
      payload: {},
      state: "failed",
      attempts: 1,
      retryLimit: 0,
      retryDelaySeconds: 2,
      retryBackoff: true,
      startAfter: at,
      createdAt: at,
      completedAt: at,
      lastError: "Error: database is locked",
    });
    return id;
  } finally {
    await database.close();
  }
}
