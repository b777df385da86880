// `cartwheel orders` as staff and as a customer, as subprocesses against the built server:
// orders named by the short id the web app shows, searched by email, status and dates, and
// shipped with a tracking number. On SQLite, and on PostgreSQL too with TEST_DATABASE_URL
// (always under CI). Two orders that share their last 8 hex digits are rare by design, so
// the second one is written into the orders table with a crafted id.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCartwheelClient } from "@cartwheel/client";
import { ORDER_REFERENCE_HINT, shortOrderId } from "@cartwheel/contracts";
import { createDatabase, type Database } from "@cartwheel/db";
import { createThrowawayDatabaseUrl } from "@cartwheel/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartwheel, type CliResult, ensureBuilt, type RunningServer, startServer } from "./harness.ts";

const PASSWORD = "correct horse battery staple 42";
const STAFF = { email: "sam@shop.test", name: "Sam Staff" };
const ADDRESS = {
  name: "Grace Hopper",
  line1: "1 Navy Yard Way",
  line2: "Building 7",
  city: "Arlington",
  region: "VA",
  postalCode: "22202",
  country: "US",
  phone: "+1 (703) 555-0142",
};
/** Ada's first order (paid) is moved back to this instant, so date ranges have one order to find. */
const PAST = "2025-03-10T12:00:00.000Z";

const backends =
  process.env.TEST_DATABASE_URL || process.env.CI === "true"
    ? (["sqlite", "postgres"] as const)
    : (["sqlite"] as const);

const ids = (result: CliResult) => (JSON.parse(result.stdout) as Array<{ id: string }>).map((order) => order.id);

describe.each(backends)("cartwheel orders on %s", (backend) => {
  let dir = "";
  let database: Database;
  let dropDatabase: (() => Promise<void>) | undefined;
  let server: RunningServer;
  let staffEnv: Record<string, string> = {};
  let staffId = "";
  const grace = { email: `grace-${randomUUID()}@example.test`, token: "", order: "" };
  const ada = { email: `ada-${randomUUID()}@example.test`, token: "", old: "", recent: "" };
  const staff = (args: string[]) => cartwheel(args, { env: staffEnv });
  const asCustomer = (token: string, args: string[]) =>
    cartwheel(args, { env: { CARTWHEEL_URL: server.url, CARTWHEEL_TOKEN: token } });

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), `cartwheel-cli-orders-${backend}-`));
    let databaseUrl = `file:${join(dir, "cartwheel.db")}`;
    if (backend === "postgres") {
      const throwaway = await createThrowawayDatabaseUrl();
      [databaseUrl, dropDatabase] = [throwaway.url, throwaway.drop];
    }
    // Migrated here as a deploy's migrate step would: the server never migrates PostgreSQL.
    database = await createDatabase(databaseUrl, { migrate: true });
    staffEnv = { XDG_CONFIG_HOME: join(dir, "config") };
    const created = await cartwheel(
      ["users", "create", "--email", STAFF.email, "--name", STAFF.name, "--role", "staff", "--password-stdin"].concat([
        "--database-url",
        databaseUrl,
        "--json",
      ]),
      // From the server's folder: on PostgreSQL both keep the development PII keys in ./data.
      { env: staffEnv, input: `${PASSWORD}\n`, cwd: dir },
    );
    if (created.code !== 0) throw new Error(`users create failed: ${created.stderr}`);
    staffId = (JSON.parse(created.stdout) as { id: string }).id;
    // PostgreSQL runs with Redis when there is one, as a deployment of several instances would.
    const redisUrl = backend === "postgres" ? process.env.TEST_REDIS_URL : undefined;
    server = await startServer({ DATABASE_URL: databaseUrl, ...(redisUrl && { REDIS_URL: redisUrl }) }, dir);
    staffEnv = { ...staffEnv, CARTWHEEL_URL: server.url };
    const login = await cartwheel(["login", "--email", STAFF.email, "--password-stdin"], {
      env: staffEnv,
      input: `${PASSWORD}\n`,
    });
    if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
    const product = await staff(
      ["products", "create", "--slug", "order-mug", "--name", "Order mug", "--price-cents", "1250"].concat([
        "--stock",
        "100",
        "--json",
      ]),
    );
    const productId = (JSON.parse(product.stdout) as { id: string }).id;

    const signUp = async (email: string, name: string) => {
      const client = createCartwheelClient({ url: server.url });
      await client.auth.register.mutate({ email, password: PASSWORD, name, transport: "token" });
      const { accessToken } = await client.auth.login.mutate({ email, password: PASSWORD, transport: "token" });
      const place = async (shippingAddress?: typeof ADDRESS) =>
        (
          await client.orders.place.mutate({
            items: [{ productId, quantity: 1 }],
            idempotencyKey: randomUUID(),
            ...(shippingAddress && { shippingAddress }),
          })
        ).id;
      return { accessToken, place };
    };
    const graceAccount = await signUp(grace.email, "Grace Hopper");
    grace.token = graceAccount.accessToken;
    grace.order = await graceAccount.place(ADDRESS);
    const adaAccount = await signUp(ada.email, "Ada Lovelace");
    ada.token = adaAccount.accessToken;
    ada.old = await adaAccount.place();
    ada.recent = await adaAccount.place();
    // Paid first: the server cancels orders left pending for a day, as this one would seem.
    const paid = await staff(["orders", "set-status", ada.old, "paid"]);
    if (paid.code !== 0) throw new Error(`set-status failed: ${paid.stderr}`);
    const { orders } = database.schema;
    await database.db
      .update(orders)
      .set({ createdAt: new Date(PAST) })
      .where(eq(orders.id, ada.old));
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await database?.close();
    await dropDatabase?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows an order by its short id in any case, with # or Order, and prints who, where and when", async () => {
    const short = shortOrderId(grace.order);
    const shown = await staff(["orders", "show", short]);
    expect(shown.stderr).toBe("");
    expect(shown.code).toBe(0);
    const lines = shown.stdout.split("\n");
    expect(lines.slice(0, 1)).toEqual([`order     ${short}  (id ${grace.order})`]);
    expect(lines).toContain(`customer  Grace Hopper <${grace.email}>`);
    const shipTo = lines.indexOf("ship to   Grace Hopper");
    expect(lines.slice(shipTo, shipTo + 6)).toEqual([
      "ship to   Grace Hopper",
      "          1 Navy Yard Way",
      "          Building 7",
      "          Arlington VA 22202",
      "          US",
      "phone     +17035550142",
    ]);
    expect(lines).toContain("shipment  not shipped");
    expect(lines.find((line) => line.includes("new → pending"))).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\S+Z\\s+new → pending\\s+Grace Hopper <${grace.email}> \\(customer\\)$`),
    );

    for (const typed of [short.toLowerCase(), `#${short}`, `Order ${short.toLowerCase()}`, grace.order.slice(-12)]) {
      const json = await staff(["orders", "show", typed, "--json"]);
      expect([typed, json.code]).toEqual([typed, 0]);
      expect(JSON.parse(json.stdout)).toMatchObject({ id: grace.order, customer: { email: grace.email } });
    }
  });

  it("names every order a short id fits, changes none of them, and takes more digits to pick one", async () => {
    // Grace's order with its 9th hex digit from the end changed: the same short id, yet 9 digits
    // tell the two apart. It belongs to the staff account, so Grace's own orders stay hers.
    const flipped = grace.order[27] === "0" ? "1" : "0";
    const twin = `${grace.order.slice(0, 27)}${flipped}${grace.order.slice(28)}`;
    const now = new Date();
    await database.db.insert(database.schema.orders).values({
      id: twin,
      userId: staffId,
      totalCents: 100,
      currency: "USD",
      idempotencyKey: randomUUID(),
      requestHash: "crafted-by-test",
      createdAt: now,
      updatedAt: now,
    });
    const short = shortOrderId(grace.order);
    const message =
      `error: ${short} is ambiguous: it matches orders ${short} (${twin}), ${short} (${grace.order}); ` +
      "give more digits (up to 12) or the full id.\n";

    const shown = await staff(["orders", "show", short.toLowerCase()]);
    expect([shown.code, shown.stderr, shown.stdout]).toEqual([1, message, ""]);
    const moved = await staff(["orders", "set-status", `#${short}`, "paid"]);
    expect([moved.code, moved.stderr]).toEqual([1, message]);
    const unchanged = JSON.parse((await staff(["orders", "show", grace.order, "--json"])).stdout) as object;
    expect(unchanged).toMatchObject({ status: "pending", version: 1 });

    expect(ids(await staff(["orders", "list", "--ref", short, "--json"]))).toEqual([twin, grace.order]);
    const longer = await staff(["orders", "show", grace.order.slice(-9).toUpperCase(), "--json"]);
    expect(JSON.parse(longer.stdout)).toMatchObject({ id: grace.order });
    const other = await staff(["orders", "show", twin.slice(-9), "--json"]);
    expect(JSON.parse(other.stdout)).toMatchObject({ id: twin, customer: { email: STAFF.email } });
  });

  it("says no order ends in an unknown short id (exit 1) and refuses what is no order reference (exit 2)", async () => {
    const known = [grace.order, ada.old, ada.recent].map((id) => id.slice(-12));
    const unknown = ["0123456789ab", "ba9876543210"].find((suffix) => !known.includes(suffix))!;
    const missing = await staff(["orders", "show", unknown.toUpperCase()]);
    expect([missing.code, missing.stderr]).toEqual([1, `error: No order ends in ${unknown.toUpperCase()}.\n`]);

    for (const typed of ["B816D82", "B816D825Z", "order", "Order: B816D825"]) {
      const refused = await staff(["orders", "show", typed]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(`error: ORDER must be ${ORDER_REFERENCE_HINT} (got "${typed}")\n`);
    }
  });

  it("searches by email, status and placing date, --to exclusive, with the real ids in --json", async () => {
    const byEmail = await staff(["orders", "list", "--email", ada.email.toUpperCase(), "--json"]);
    expect(byEmail.code).toBe(0);
    expect(ids(byEmail)).toEqual([ada.recent, ada.old]);
    expect(ids(await staff(["orders", "list", "--email", grace.email, "--status", "pending", "--json"]))).toEqual([
      grace.order,
    ]);
    expect(ids(await staff(["orders", "list", "--email", grace.email, "--status", "paid", "--json"]))).toEqual([]);

    const range = async (...bounds: string[]) => ids(await staff(["orders", "list", ...bounds, "--json"]));
    expect(await range("--from", "2025-03-10", "--to", "2025-03-11")).toEqual([ada.old]);
    expect(await range("--to", PAST)).toEqual([]);
    expect(await range("--to", "2025-03-10T12:00:00.001Z")).toEqual([ada.old]);
    expect(await range("--from", "2025-03-10T13:00:00+02:00", "--to", "2025-03-11")).toEqual([ada.old]);
    expect(await range("--from", "2025-03-10T14:00:00+01:00", "--to", "2025-03-11")).toEqual([]);
    expect(await range("--from", "2025-03-11", "--email", ada.email)).toEqual([ada.recent]);

    const table = await staff(["orders", "list", "--email", ada.email]);
    const [header, ...rows] = table.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^ORDER\s+PLACED\s+STATUS\s+CUSTOMER\s+TOTAL$/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(
      new RegExp(
        `^${shortOrderId(ada.old)}\\s+2025-03-10 12:00:00Z\\s+paid\\s+Ada Lovelace <${ada.email}>\\s+12\\.50 USD$`,
      ),
    );

    const backwards = await staff(["orders", "list", "--from", "2025-03-11", "--to", "2025-03-10"]);
    expect([backwards.code, backwards.stderr]).toEqual([
      2,
      "error: --from/--to: The start of the date range must come before its end.\n",
    ]);
    const badDate = await staff(["orders", "list", "--from", "2025-02-30"]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain("--from must be a date such as 2026-12-01");
  });

  it("ships with a carrier and tracking number, refuses them with another status, and show prints them", async () => {
    const short = shortOrderId(ada.recent);
    const paid = await staff(["orders", "set-status", short, "paid"]);
    expect([paid.code, paid.stderr]).toEqual([0, `Order ${short} (${ada.recent}) is now paid (version 2).\n`]);

    const tooEarly = await staff(["orders", "set-status", short, "delivered", "--tracking", "1Z999AA10123456784"]);
    expect([tooEarly.code, tooEarly.stderr]).toEqual([
      2,
      'error: --carrier and --tracking go only with the status shipped (got "delivered")\n',
    ]);
    const shipped = await staff(
      ["orders", "set-status", `Order ${short.toLowerCase()}`, "shipped", "--carrier", "UPS"].concat([
        "--tracking",
        "1Z999AA10123456784",
      ]),
    );
    expect(shipped.code).toBe(0);
    expect(shipped.stderr).toBe(
      `Order ${short} (${ada.recent}) is now shipped (version 3). Carrier UPS, tracking 1Z999AA10123456784.\n`,
    );

    const lines = (await staff(["orders", "show", `#${short}`])).stdout.split("\n");
    expect(lines).toContain("status    shipped (version 3)");
    expect(lines).toContain("ship to   none given");
    const shipment = lines.indexOf("shipment  carrier   UPS");
    expect(lines[shipment + 1]).toBe("          tracking  1Z999AA10123456784");
    const staffLabel = `${STAFF.name} <${STAFF.email}> \\(staff\\)`;
    expect(lines.filter((line) => line.includes(" → "))).toEqual([
      expect.stringMatching(new RegExp(`new → pending\\s+Ada Lovelace <${ada.email}> \\(customer\\)$`)),
      expect.stringMatching(new RegExp(`pending → paid\\s+${staffLabel}$`)),
      expect.stringMatching(new RegExp(`paid → shipped\\s+${staffLabel}$`)),
    ]);
    const listed = JSON.parse((await staff(["orders", "list", "--status", "shipped", "--json"])).stdout) as unknown;
    expect(listed).toEqual([
      expect.objectContaining({ id: ada.recent, shipment: { carrier: "UPS", trackingNumber: "1Z999AA10123456784" } }),
    ]);
  });

  it("lets a customer use the short id of their own order, and no one else's", async () => {
    // The staff account's crafted order shares this short id: a customer only ever matches their own.
    const short = shortOrderId(grace.order);
    const own = await asCustomer(grace.token, ["orders", "show", short]);
    expect(own.stderr).toBe("");
    expect(own.stdout.split("\n")[0]).toBe(`order     ${short}  (id ${grace.order})`);
    const someoneElses = await asCustomer(grace.token, ["orders", "show", shortOrderId(ada.old)]);
    expect([someoneElses.code, someoneElses.stderr]).toEqual([
      1,
      `error: No order ends in ${shortOrderId(ada.old)}.\n`,
    ]);
  });
});
