// The query observer's tracing hook on both dialects: the statement's SQL text, never its
// parameter values, and an end call for every statement, with the error when one fails.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database, type StatementTracer } from "../src/index.ts";
import { createThrowawayDatabaseUrl } from "../src/testing/index.ts";

interface Traced {
  sql: string;
  ended: boolean;
  error?: unknown;
}

describe.each(["sqlite", "postgres"] as const)("traceStatement on %s", (dialect) => {
  const traced: Traced[] = [];
  const traceStatement: StatementTracer = (sql) => {
    const entry: Traced = { sql, ended: false };
    traced.push(entry);
    return (error) => {
      entry.ended = true;
      entry.error = error;
    };
  };
  let database: Database;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let url = ":memory:";
    if (dialect === "postgres") ({ url, drop } = await createThrowawayDatabaseUrl());
    database = await createDatabase(url, { migrate: true, traceStatement });
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it("sees each statement's text with placeholders in place of the values", async () => {
    traced.length = 0;
    const slug = `secret-slug-${crypto.randomUUID()}`;
    const { products } = database.schema;
    await database.db.select().from(products).where(eq(products.slug, slug)).limit(1);
    expect(traced).toHaveLength(1);
    expect(traced[0]!.sql).toMatch(/^select .* from "products" where "products"."slug" = (\$1|\?)/);
    expect(traced[0]!.sql).not.toContain(slug);
    expect(traced[0]).toMatchObject({ ended: true, error: undefined });
  });

  it("ends a failing statement's span with its error", async () => {
    const { products } = database.schema;
    // Ids are the application's (UUIDv7): the same one twice violates the primary key.
    const id = "01890000-0000-7000-8000-000000000001";
    const row = { id, slug: `twice-${crypto.randomUUID()}`, name: "Twice", priceCents: 100 };
    await database.db.insert(products).values(row);
    traced.length = 0;
    await expect(database.db.insert(products).values({ ...row, slug: `${row.slug}-again` })).rejects.toThrow(
      /^Failed query: insert into "products"/,
    );
    expect(traced).toHaveLength(1);
    expect(traced[0]).toMatchObject({ ended: true, error: expect.anything() });
    expect(traced[0]!.sql).not.toContain(row.slug);
  });
});
