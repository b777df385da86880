import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";

describe("catalog cache configuration", () => {
  const primary = "postgres://app@pgbouncer:6432/cartwheel";

  it("defaults to auto with a 30 s TTL and the listen session on DATABASE_URL", () => {
    const config = loadConfig({ DATABASE_URL: primary });
    expect(config).toMatchObject({ CATALOG_CACHE: "auto", CATALOG_CACHE_TTL_SECONDS: 30 });
    expect(config.DATABASE_LISTEN_URL).toBeUndefined();
  });

  it("takes a direct listen URL and a TTL", () => {
    const config = loadConfig({
      DATABASE_URL: primary,
      DATABASE_LISTEN_URL: "postgres://app@db-primary:5432/cartwheel",
      CATALOG_CACHE_TTL_SECONDS: "5",
    });
    expect(config).toMatchObject({
      DATABASE_LISTEN_URL: "postgres://app@db-primary:5432/cartwheel",
      CATALOG_CACHE_TTL_SECONDS: 5,
    });
  });

  it("rejects a listen URL that is not PostgreSQL, or beside an SQLite database", () => {
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_LISTEN_URL: "redis://db/0" })).toThrow(
      /DATABASE_LISTEN_URL.*postgres:\/\//,
    );
    expect(() => loadConfig({ DATABASE_LISTEN_URL: "postgres://app@db-primary/cartwheel" })).toThrow(
      /DATABASE_LISTEN_URL.*needs a postgres:\/\/ DATABASE_URL/,
    );
  });

  it("refuses a TTL of zero or above an hour", () => {
    for (const ttl of ["0", "3601", "ten"]) {
      expect(() => loadConfig({ CATALOG_CACHE_TTL_SECONDS: ttl })).toThrow(/CATALOG_CACHE_TTL_SECONDS/);
    }
  });
});
