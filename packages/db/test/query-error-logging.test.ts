// No log line carries a query's parameter values. A failed insert's error holds them twice
// (drizzle's "params: …" message and `params`), and PostgreSQL's `detail` holds the row
// ("Key (email)=(…) already exists"). Logged through the real logger, as the API logs errors.
import { Writable } from "node:stream";
import { createLogger } from "@cartwheel/observability";
import { describe, expect, it } from "vitest";
import { isUniqueViolation } from "../src/queries.ts";
import { DatabaseQueryError } from "../src/query-errors.ts";
import { testBackends } from "../src/testing/index.ts";
import { sharedCatalogDatabase } from "./shared-database.ts";

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level: "debug", destination }), lines };
}

/** Lets pino's stream write what it buffered. */
const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe.each(testBackends({ sqlite: "both" }))("query errors in logs on %s", (backend) => {
  const database = sharedCatalogDatabase(backend);
  const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0LXNhbHQ$TOP-SECRET-HASH-VALUE";
  const email = "someone.private@example.test";
  // Uniqueness lives on the blind index (the address itself is sealed, so differs per write).
  const emailIndex = "blind-index-of-someone-private";

  async function failingInsert(): Promise<unknown> {
    const { users } = database().schema;
    await database().db.delete(users);
    await database().db.insert(users).values({ email, emailIndex, passwordHash: "first", name: "First" });
    return database()
      .db.insert(users)
      .values({ email, emailIndex, passwordHash: hash, name: "Second" })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
  }

  it("logs a unique violation with its SQL, code and constraint, but not the values", async () => {
    const error = await failingInsert();
    expect(error).toBeInstanceOf(DatabaseQueryError);
    expect(isUniqueViolation(error)).toBe(true);
    const { logger, lines } = capturingLogger();
    logger.error({ err: error }, "insert failed");
    logger.warn({ error }, "under another key");
    await flushed();
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain("TOP-SECRET-HASH-VALUE");
      expect(line).not.toContain(email);
      expect(line).not.toContain(emailIndex);
      expect(line).toContain("insert into");
    }
    // pino folds the cause chain into `message` and `stack` ("caused by: …"); the naming fields stay.
    const logged = JSON.parse(lines[0]!) as { err: Record<string, unknown> };
    const expectedByDialect = {
      sqlite: {
        code: "SQLITE_CONSTRAINT_UNIQUE",
        message: expect.stringContaining("UNIQUE constraint failed: users.email_index"),
      },
      postgres: { code: "23505", constraint: "users_email_index_uq", table: "users" },
    };
    const expected = expectedByDialect[backend.startsWith("sqlite") ? "sqlite" : "postgres"];
    expect(logged.err).toMatchObject(expected);
  });

  it("keeps the values out of a failed transaction's error too", async () => {
    const { users } = database().schema;
    await failingInsert();
    const error = await database()
      .transaction(async (tx) => {
        await tx.insert(users).values({ email, emailIndex, passwordHash: hash, name: "In a transaction" });
      })
      .catch((caught: unknown) => caught);
    expect(isUniqueViolation(error)).toBe(true);
    const { logger, lines } = capturingLogger();
    logger.error({ err: error }, "transaction failed");
    await flushed();
    expect(lines.join("\n")).not.toContain("TOP-SECRET-HASH-VALUE");
    expect(lines.join("\n")).not.toContain(email);
  });
});
