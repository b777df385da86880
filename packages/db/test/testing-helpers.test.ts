import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createThrowawayDatabaseUrl, openTestDatabase, testBackends, testPostgresUrl } from "../src/testing/index.ts";

describe("test backends", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("always lists PostgreSQL under CI=true, so a missing server fails instead of skipping", async () => {
    vi.stubEnv("CI", "true");
    vi.stubEnv("TEST_DATABASE_URL", "");
    expect(testBackends()).toContain("postgres");
    await expect(openTestDatabase("postgres")).rejects.toThrow(/^TEST_DATABASE_URL is not set/);
  });

  it("leaves PostgreSQL out locally when no server is configured", () => {
    vi.stubEnv("CI", "");
    vi.stubEnv("TEST_DATABASE_URL", "");
    expect(testBackends()).toEqual(["sqlite-memory", "pglite"]);
    expect(testBackends({ sqlite: "both" })).toEqual(["sqlite-memory", "sqlite-file", "pglite"]);
  });

  it("fails with one line naming the server when TEST_DATABASE_URL is unreachable", async () => {
    vi.stubEnv("TEST_DATABASE_URL", "postgres://ci:secret@127.0.0.1:1/postgres");
    await expect(createThrowawayDatabaseUrl()).rejects.toThrow(
      "PostgreSQL test server postgres://ci:***@127.0.0.1:1/postgres is unreachable: connect ECONNREFUSED 127.0.0.1:1",
    );
  });
});

const exists = async (name: string) => {
  const admin = new pg.Client({ connectionString: testPostgresUrl() });
  await admin.connect();
  try {
    const { rows } = await admin.query("select 1 from pg_database where datname = $1", [name]);
    return rows.length === 1;
  } finally {
    await admin.end();
  }
};

const nameOf = (url: string) => new URL(url).pathname.slice(1);

describe.each(testBackends().filter((backend) => backend === "postgres"))("throwaway databases on %s", () => {
  it("get unique names and are dropped even while a session is still connected", async () => {
    const [a, b] = await Promise.all([createThrowawayDatabaseUrl(), createThrowawayDatabaseUrl()]);
    expect(nameOf(a.url)).not.toBe(nameOf(b.url));
    await b.drop();

    const leftOpen = new pg.Client({ connectionString: a.url }); // a test that forgot to close
    await leftOpen.connect();
    leftOpen.on("error", () => undefined); // the forced drop terminates it
    await a.drop();
    await a.drop(); // idempotent
    expect(await exists(nameOf(a.url))).toBe(false);
    expect(await exists(nameOf(b.url))).toBe(false);
    await leftOpen.end().catch(() => undefined);
  });
});
