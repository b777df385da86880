import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import type { Database } from "./database.ts";
import { migrationsFolder } from "./migrations-path.ts";
import { postgresDatabase } from "./postgres-database.ts";
import * as pgSchema from "./schema/pg.ts";

/**
 * In-process PostgreSQL (WASM) so the PostgreSQL dialect is exercised by `npm test`
 * on machines without a server. Test-only: it is a devDependency.
 */
export async function openPglite(): Promise<Database> {
  const client = new PGlite();
  const primary = drizzle(client, { schema: pgSchema });
  // The explicit schema type spares the compiler inferring it from drizzle's database type,
  // an intersection it walks member by member (~270k type instantiations).
  await migrate<typeof pgSchema>(primary, { migrationsFolder: migrationsFolder("postgres") });
  return postgresDatabase({
    label: "pglite:memory",
    primary,
    async ping() {
      await client.query("select 1");
    },
    async close() {
      await client.close();
    },
  });
}
