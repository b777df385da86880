// `npm run db:migrate`: applies pending migrations to DATABASE_URL. This is the explicit
// production step; the server itself never migrates PostgreSQL.
import { runDatabaseTask } from "./run.ts";

await runDatabaseTask(async (database) => `Migrations are up to date on ${database.label}`, { migrate: true });
