// `cartwheel reports sales` as staff, as a subprocess against the built server: the --json
// numbers of orders placed through the API, the tables it prints, and a range too long refused
// before anything is sent. On SQLite, and on PostgreSQL too with TEST_DATABASE_URL (always under CI).
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCartwheelClient, type RouterOutputs } from "@cartwheel/client";
import { createDatabase, type Database } from "@cartwheel/db";
import { createThrowawayDatabaseUrl } from "@cartwheel/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartwheel, ensureBuilt, type RunningServer, startServer } from "./harness.ts";

const PASSWORD = "correct horse battery staple 42";
const STAFF = { email: "sam@shop.test", name: "Sam Staff" };

const backends =
  process.env.TEST_DATABASE_URL || process.env.CI === "true"
    ? (["sqlite", "postgres"] as const)
    : (["sqlite"] as const);

type SalesReport = RouterOutputs["reports"]["sales"];

describe.each(backends)("cartwheel reports on %s", (backend) => {
  let dir = "";
  let database: Database;
  let dropDatabase: (() => Promise<void>) | undefined;
  let server: RunningServer;
  let staffEnv: Record<string, string> = {};
  let mugId = "";
  const staff = (args: string[]) => cartwheel(args, { env: staffEnv });

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), `cartwheel-cli-reports-${backend}-`));
    let databaseUrl = `file:${join(dir, "cartwheel.db")}`;
    if (backend === "postgres") {
      const throwaway = await createThrowawayDatabaseUrl();
      [databaseUrl, dropDatabase] = [throwaway.url, throwaway.drop];
    }
    database = await createDatabase(databaseUrl, { migrate: true });
    staffEnv = { XDG_CONFIG_HOME: join(dir, "config") };
    const created = await cartwheel(
      ["users", "create", "--email", STAFF.email, "--name", STAFF.name, "--role", "staff", "--password-stdin"].concat([
        "--database-url",
        databaseUrl,
      ]),
      { env: staffEnv, input: `${PASSWORD}\n`, cwd: dir },
    );
    if (created.code !== 0) throw new Error(`users create failed: ${created.stderr}`);
    const redisUrl = backend === "postgres" ? process.env.TEST_REDIS_URL : undefined;
    server = await startServer({ DATABASE_URL: databaseUrl, ...(redisUrl && { REDIS_URL: redisUrl }) }, dir);
    staffEnv = { ...staffEnv, CARTWHEEL_URL: server.url };
    const login = await cartwheel(["login", "--email", STAFF.email, "--password-stdin"], {
      env: staffEnv,
      input: `${PASSWORD}\n`,
    });
    if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
    const product = await staff(
      ["products", "create", "--slug", "report-mug", "--name", "Report mug", "--price-cents", "1250"].concat([
        "--stock",
        "6",
        "--json",
      ]),
    );
    mugId = (JSON.parse(product.stdout) as { id: string }).id;

    const client = createCartwheelClient({ url: server.url });
    const email = `ada-${randomUUID()}@example.test`;
    await client.auth.register.mutate({ email, password: PASSWORD, name: "Ada", transport: "token" });
    await client.auth.login.mutate({ email, password: PASSWORD, transport: "token" });
    const place = async (quantity: number) =>
      (await client.orders.place.mutate({ items: [{ productId: mugId, quantity }], idempotencyKey: randomUUID() })).id;
    const paid = await place(2);
    await place(1); // stays pending: no revenue
    const cancelled = await place(1);
    for (const [id, status] of [
      [paid, "paid"],
      [cancelled, "cancelled"],
    ] as const) {
      const moved = await staff(["orders", "set-status", id, status]);
      if (moved.code !== 0) throw new Error(`set-status failed: ${moved.stderr}`);
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await database?.close();
    await dropDatabase?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("prints the API's answer with --json: today's orders and revenue, statuses, best seller, low stock, new customer", async () => {
    const result = await staff(["reports", "sales", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as SalesReport;
    expect(report.days).toHaveLength(30);
    const today = new Date().toISOString().slice(0, 10);
    expect(report.days.at(-1)).toEqual({ day: today, orders: 3, revenue: [{ currency: "USD", cents: 2500 }] });
    expect(report.days.slice(0, -1).every((day) => day.orders === 0 && day.revenue.length === 0)).toBe(true);
    expect(Object.fromEntries(report.byStatus.map((s) => [s.status, s.count]))).toEqual({
      pending: 1,
      paid: 1,
      shipped: 0,
      delivered: 0,
      cancelled: 1,
    });
    expect(report.topProducts).toEqual([
      { productId: mugId, name: "Report mug", currency: "USD", quantity: 2, revenueCents: 2500 },
    ]);
    // 6 in stock, 2 + 1 held by the paid and pending orders, the cancelled one's returned.
    expect(report.lowStock).toEqual([{ productId: mugId, slug: "report-mug", name: "Report mug", stock: 3 }]);
    expect(report.newCustomers.at(-1)).toEqual({ day: today, count: 1 });
  });

  it("prints the days, status counts, top products, low stock and new customers as tables", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const result = await staff(["reports", "sales", "--from", today]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^Sales \d{4}-\d\d-\d\d 00:00:00Z to \d{4}-\d\d-\d\d 00:00:00Z/);
    expect(lines).toContain("DAY         ORDERS  REVENUE");
    expect(lines).toContain(`${today}       3  25.00 USD`);
    for (const heading of ["Orders by status", "Top products by revenue", "Low stock (below 5)", "New customers"]) {
      expect(lines).toContain(heading);
    }
    expect(lines.some((line) => /^Report mug\s+2\s+25\.00 USD\s+/.test(line))).toBe(true);
    expect(lines.some((line) => /^Report mug\s+report-mug\s+3$/.test(line))).toBe(true);
    expect(lines).toContain(`${today}          1`);
  });

  it("refuses a range longer than 366 days before sending anything", async () => {
    const result = await staff(["reports", "sales", "--from", "2024-01-01", "--to", "2026-01-01"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/at most 366 days/);
  });
});
