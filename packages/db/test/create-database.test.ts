import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../src/connection-errors.ts";
import { createDatabase } from "../src/create-database.ts";
import { errorLine } from "../src/error-line.ts";
import { demoCatalog } from "../src/seed/catalog-data.ts";
import { createThrowawayDatabaseUrl, testBackends } from "../src/testing/index.ts";

// Nothing listens on port 1, so connecting is refused at once (no network needed).
const REFUSED = "postgres://app:hunter2@127.0.0.1:1/cartwheel";

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as Error,
  );

describe("createDatabase errors are one clear line", () => {
  it("names DATABASE_URL when the scheme is unknown", async () => {
    const error = await rejection(createDatabase("mysql://root@localhost/shop"));
    expect(error.message).toBe(
      'DATABASE_URL must start with postgres://, postgresql:// or file:, or be :memory: (got "mysql:…")',
    );
  });

  it("reports an unreachable PostgreSQL server without leaking the password", async () => {
    const error = await rejection(createDatabase(REFUSED, { migrate: true }));
    expect(error.message).toBe(
      "Cannot open database postgres://app:***@127.0.0.1:1/cartwheel: connect ECONNREFUSED 127.0.0.1:1",
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("opens a PostgreSQL pool lazily, so a server that is down shows up as unavailable, not a crash", async () => {
    const database = await createDatabase(REFUSED);
    try {
      const error = await rejection(database.ping());
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(errorLine(error)).not.toContain("\n");
    } finally {
      await database.close();
    }
  });

  it("reports a SQLite path that cannot be created", async () => {
    const error = await rejection(createDatabase("file:/dev/null/cartwheel.db"));
    expect(error.message).toMatch(/^Cannot open database file:\/dev\/null\/cartwheel\.db: \S.*$/);
  });
});

describe("errorLine", () => {
  it("prefers the driver's message over drizzle's query dump", () => {
    const driver = Object.assign(new Error('relation "products" does not exist'), { code: "42P01" });
    const wrapped = new Error("Failed query: select * from products\nparams: ", { cause: driver });
    expect(errorLine(wrapped)).toBe('relation "products" does not exist');
  });

  it("unwraps the empty AggregateError of a refused dual-stack connect", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED ::1:5432"), { code: "ECONNREFUSED" });
    expect(errorLine(new AggregateError([refused], ""))).toBe("connect ECONNREFUSED ::1:5432");
  });
});

// Only a real server can drop connections; under CI=true this always runs.
const realPostgres = testBackends().filter((backend) => backend === "postgres");

describe.each(realPostgres)("%s pool when the server drops connections", () => {
  const dropLater: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of dropLater) await drop();
  });

  it("survives idle connections being killed and reconnects on the next query", async () => {
    const { url, drop } = await createThrowawayDatabaseUrl();
    dropLater.push(drop);
    const poolErrors: Error[] = [];
    const database = await createDatabase(url, { migrate: true, onPoolError: (error) => poolErrors.push(error) });
    try {
      await Promise.all([database.ping(), database.ping(), database.ping()]); // several idle clients now
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      let terminated = 0;
      try {
        // What a server restart or failover does to every open connection.
        const result = await admin.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
        );
        terminated = result.rowCount ?? 0;
      } finally {
        await admin.end();
      }
      // Each idle client reports its own drop; until all have, the next query may still get a dead one.
      expect(terminated).toBeGreaterThan(0);
      await expect.poll(() => poolErrors.length).toBeGreaterThanOrEqual(terminated);
      expect(isDatabaseUnavailable(poolErrors[0])).toBe(true);

      const rows = await database.db.select().from(database.schema.products);
      expect(rows).toEqual([]);
    } finally {
      await database.close();
    }
  });
});

describe("db:migrate and db:seed scripts", () => {
  it("run on this Node version against DATABASE_URL", () => {
    const dir = mkdtempSync(join(tmpdir(), "cartwheel-cli-"));
    const run = (script: string) =>
      execFileSync("npm", ["run", "--silent", script], {
        cwd: join(import.meta.dirname, ".."),
        env: { ...process.env, DATABASE_URL: `file:${join(dir, "cli.db")}` },
        encoding: "utf8",
      }).trim();
    try {
      expect(run("db:migrate")).toBe(`Migrations are up to date on sqlite:${join(dir, "cli.db")}`);
      // Idempotence itself is covered in seed.test.ts; this proves the script's wiring.
      expect(run("db:seed")).toMatch(new RegExp(`: ${demoCatalog.length} products added, 0 already present$`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
