// The change feed: every committed write to `products`, by any connection, reaches a
// subscriber once per transaction; rollbacks and other tables never do; a killed listening
// session is reported and replaced.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_CHANGE_TRIGGER, CHANGE_FEED_APPLICATION_NAME, type ChangeFeedState } from "../src/change-feed.ts";
import { createDatabase } from "../src/create-database.ts";
import type { Database } from "../src/database.ts";
import { createThrowawayDatabaseUrl, openTestDatabase, testBackends } from "../src/testing/index.ts";

describe.each(testBackends().filter((backend) => backend !== "postgres"))("change feed on %s", (backend) => {
  let database: Database;
  beforeAll(async () => void (database = await openTestDatabase(backend)));
  afterAll(() => database?.close());

  it("is absent: SQLite's data_version and PGlite's single process need none", () => {
    expect(database.changeFeed).toBeUndefined();
  });
});

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(testBackends().filter((backend) => backend === "postgres"))("change feed on %s", () => {
  let throwaway: Awaited<ReturnType<typeof createThrowawayDatabaseUrl>>;
  let database: Database;
  let writer: Database;
  let admin: pg.Client;
  let changes = 0;
  const states: ChangeFeedState[] = [];
  let unsubscribe: () => void;

  const databaseName = () => new URL(throwaway.url).pathname.slice(1);
  const listenerPids = async () =>
    (
      await admin.query<{ pid: number }>(
        "select pid from pg_stat_activity where application_name = $1 and datname = $2",
        [`${CHANGE_FEED_APPLICATION_NAME}:${process.pid}`, databaseName()],
      )
    ).rows.map((row) => row.pid);
  const listening = () => states.at(-1)?.listening === true;

  beforeAll(async () => {
    throwaway = await createThrowawayDatabaseUrl();
    database = await createDatabase(throwaway.url, { migrate: true });
    writer = await createDatabase(throwaway.url);
    admin = new pg.Client({ connectionString: throwaway.url });
    await admin.connect();
    unsubscribe = database.changeFeed!.subscribe(
      () => void changes++,
      (state) => void states.push(state),
    );
    await until(listening, "the feed to listen");
  });
  afterAll(async () => {
    unsubscribe?.();
    await admin?.end();
    await writer?.close();
    await database?.close();
    await throwaway?.drop();
  });

  const insertProduct = (db = writer.db) =>
    db
      .insert(writer.schema.products)
      .values({ slug: `feed-${randomUUID()}`, name: "Feed", description: "", priceCents: 100, stock: 1 })
      .returning({ id: writer.schema.products.id });

  it("delivers one notification per committed transaction, none for rollbacks or other tables", async () => {
    const start = changes;
    const [product] = await insertProduct();
    await until(() => changes === start + 1, "the insert's notification");

    // Three statements on products in one transaction: one notification.
    await writer.transaction(async (tx) => {
      await tx
        .update(writer.schema.products)
        .set({ priceCents: 200 })
        .where(eq(writer.schema.products.id, product!.id));
      await tx.update(writer.schema.products).set({ stock: 5 }).where(eq(writer.schema.products.id, product!.id));
      await insertProduct(tx);
    });
    // Rolled back: nothing. Users only: nothing.
    await writer
      .transaction(async (tx) => {
        await tx
          .update(writer.schema.products)
          .set({ priceCents: 300 })
          .where(eq(writer.schema.products.id, product!.id));
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await writer.db
      .insert(writer.schema.users)
      .values({ email: `feed-${randomUUID()}@example.test`, passwordHash: "x", name: "feed" });
    // Notifications arrive in commit order, so once this last one is in, any other would be too.
    await writer.db.update(writer.schema.products).set({ stock: 2 }).where(eq(writer.schema.products.id, product!.id));
    await until(() => changes >= start + 3, "the later notifications");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(changes).toBe(start + 3);
  });

  it("reports a killed listening session, reconnects, and delivers again", async () => {
    const [pid] = await listenerPids();
    expect(pid).toBeDefined();
    const before = states.length;
    await admin.query("select pg_terminate_backend($1)", [pid]);
    await until(() => states.length >= before + 2 && listening(), "the feed to come back");
    expect(states.slice(before).map((state) => state.listening)).toEqual([false, true]);
    expect(await listenerPids()).not.toContain(pid);

    const start = changes;
    await insertProduct();
    await until(() => changes === start + 1, "a notification after reconnecting");
  });

  it("is not listening while the notifying trigger is disabled, and listens again once it is back", async () => {
    await admin.query(`alter table products disable trigger ${CATALOG_CHANGE_TRIGGER}`);
    try {
      for (const pid of await listenerPids()) await admin.query("select pg_terminate_backend($1)", [pid]);
      await until(() => !listening(), "the feed to report the lost session");
      // Without the trigger check it would be listening again within a few hundred milliseconds.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(listening()).toBe(false);
    } finally {
      await admin.query(`alter table products enable trigger ${CATALOG_CHANGE_TRIGGER}`);
    }
    await until(listening, "the feed to listen again");
  });

  it("closes its one connection once the last subscriber leaves", async () => {
    expect(await listenerPids()).toHaveLength(1);
    unsubscribe();
    await until(async () => (await listenerPids()).length === 0, "the listening session to end");
  });
});
