import { afterAll, beforeAll, beforeEach } from "vitest";
import { type Backend, openTestDatabase, type TestDatabase } from "../src/testing/index.ts";

/**
 * One database for the enclosing describe block, because opening PGlite or a throwaway
 * PostgreSQL database costs about a second; each test starts with no products and an empty
 * stock ledger instead. Returns a getter, since the database opens only in beforeAll.
 */
export function sharedCatalogDatabase(backend: Backend): () => TestDatabase {
  let database: TestDatabase | undefined;
  const current = () => {
    if (!database) throw new Error("the shared test database is used outside a test");
    return database;
  };
  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    const { db, schema } = current();
    // Ledger rows first: they reference products.
    await db.delete(schema.stockMovements);
    await db.delete(schema.products);
  });
  return current;
}
