import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import type { Database, Db } from "./database.ts";
import { migrationsFolder } from "./migrations-path.ts";
import { preparedPerTransaction } from "./prepared.ts";
import * as pgSchema from "./schema/pg.ts";
import { TransactionScope } from "./transaction-scope.ts";

/**
 * In-process PostgreSQL (WASM) so the PostgreSQL dialect is exercised by `npm test`
 * on machines without a server. Test-only: it is a devDependency.
 */
export async function openPglite(): Promise<Database> {
  const client = new PGlite();
  const db = drizzle(client, { schema: pgSchema }) as unknown as Db;
  await migrate(db as never, { migrationsFolder: migrationsFolder("postgres") });
  const scope = new TransactionScope<Db>();
  return {
    dialect: "postgres",
    label: "pglite:memory",
    db,
    reader: db,
    schema: pgSchema,
    prepared: preparedPerTransaction,
    transaction: (fn) => scope.run((body) => db.transaction((tx) => body(tx as unknown as Db)), fn),
    async ping() {
      await client.query("select 1");
    },
    async close() {
      await client.close();
    },
  };
}
