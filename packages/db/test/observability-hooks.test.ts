import { describe, expect, it } from "vitest";
import { createDatabase, isDatabaseUnavailable } from "../src/index.ts";

describe("createDatabase onQuery", () => {
  it("reports the duration of every SQLite statement", async () => {
    const durations: number[] = [];
    const database = await createDatabase(":memory:", { onQuery: (ms) => durations.push(ms) });
    try {
      const before = durations.length;
      await database.db.select().from(database.schema.products).limit(1);
      expect(durations.length).toBe(before + 1);
      expect(durations.at(-1)).toBeGreaterThanOrEqual(0);
    } finally {
      await database.close();
    }
  });
});

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it.each([
    ["refused connection", withCode("ECONNREFUSED")],
    ["server shutting down", withCode("57P01")],
    ["connection exception class 08", withCode("08006")],
    ["pool connect timeout", new Error("timeout exceeded when trying to connect")],
    ["lost connection", new Error("Connection terminated unexpectedly")],
    ["SQLite busy", withCode("SQLITE_BUSY")],
    ["wrapped by drizzle", new Error("Failed query: select 1", { cause: withCode("ECONNREFUSED") })],
    ["dual-stack AggregateError", new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")])],
  ])("is true for %s", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["unique violation", withCode("23505")],
    ["syntax error", withCode("42601")],
    ["plain bug", new TypeError("undefined is not a function")],
    ["not an error", "boom"],
  ])("is false for %s", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
