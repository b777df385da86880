import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("DATABASE_READ_URLS", () => {
  const primary = "postgres://app@db-primary:5432/cartwheel";

  it("defaults to no replicas", () => {
    expect(loadConfig({}).DATABASE_READ_URLS).toEqual([]);
  });

  it("splits a comma-separated list and ignores blanks", () => {
    const config = loadConfig({
      DATABASE_URL: primary,
      DATABASE_READ_URLS: " postgres://app@replica-1/cartwheel, postgresql://app@replica-2/cartwheel ,",
    });
    expect(config.DATABASE_READ_URLS).toEqual([
      "postgres://app@replica-1/cartwheel",
      "postgresql://app@replica-2/cartwheel",
    ]);
  });

  it("rejects entries that are not PostgreSQL URLs", () => {
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URLS: "mysql://replica/db" })).toThrow(
      /DATABASE_READ_URLS.*: each entry must be a postgres:\/\/ URL/,
    );
  });

  it("rejects replicas behind an SQLite primary", () => {
    expect(() => loadConfig({ DATABASE_READ_URLS: "postgres://app@replica-1/cartwheel" })).toThrow(ConfigError);
  });
});
