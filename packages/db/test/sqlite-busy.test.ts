// Another process holding SQLite's write lock must not stall this one: a write waits for the
// lock on a timer (busy_timeout 0 plus asynchronous retry), so the event loop keeps serving.
// A child process takes the write lock; while our write waits, an interval must keep ticking;
// the child releases the lock only once it has (which, with a blocking busy_timeout, would
// never happen in time); then the write completes.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../src/connection-errors.ts";
import type { Database } from "../src/database.ts";
import { TransactionRetryError } from "../src/query-errors.ts";
import { openSqlite } from "../src/sqlite/open-sqlite.ts";

/** Holds the write lock on the file until told "release" on stdin (or 20 s pass). */
const LOCK_HOLDER = `
const Database = require("better-sqlite3");
const db = new Database(process.argv[1]);
db.exec("begin immediate");
db.prepare("insert into products (id, slug, name, price_cents, created_at, updated_at) values ('held', 'held', 'Held', 1, 1, 1)").run();
process.stdout.write("locked\\n");
const release = () => { db.exec("commit"); db.close(); process.stdout.write("released\\n"); process.exit(0); };
process.stdin.on("data", (chunk) => { if (String(chunk).includes("release")) release(); });
setTimeout(release, 20000).unref();
`;

let dir: string;
let database: Database;
let holder: ChildProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cartwheel-busy-"));
  database = openSqlite({ path: join(dir, "test.db") });
});
afterEach(async () => {
  holder?.kill();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the lock holder and resolves once it holds the lock; `lines` collects what it says. */
async function holdWriteLock(): Promise<{ lines: string[]; release(): void }> {
  holder = spawn(process.execPath, ["-e", LOCK_HOLDER, join(dir, "test.db")], {
    cwd: import.meta.dirname,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines: string[] = [];
  const reader = createInterface({ input: holder.stdout! });
  reader.on("line", (line) => lines.push(line));
  while (!lines.includes("locked")) await once(reader, "line");
  return { lines, release: () => holder!.stdin!.write("release\n") };
}

const product = (slug: string) => ({ slug, name: slug, priceCents: 100 });

describe("SQLite while another process holds the write lock", () => {
  for (const kind of ["transaction", "single statement"] as const) {
    it(`keeps the event loop serving while a ${kind} waits, then completes the write`, async () => {
      const { products } = database.schema;
      const lock = await holdWriteLock();
      let writeDone = false;
      const write = (
        kind === "transaction"
          ? database.transaction((tx) => tx.insert(products).values(product("mine")))
          : database.db.insert(products).values(product("mine"))
      ).then(() => {
        writeDone = true;
        return lock.lines.includes("released");
      });

      let ticksWhileWaiting = 0;
      await new Promise<void>((resolve) => {
        const interval = setInterval(() => {
          if (!writeDone) ticksWhileWaiting += 1;
          if (ticksWhileWaiting === 5) {
            clearInterval(interval);
            resolve();
          }
        }, 10);
      });
      expect(writeDone).toBe(false);
      expect(ticksWhileWaiting).toBe(5);
      lock.release();

      expect(await write).toBe(true); // it finished after the other process let go
      const slugs = (await database.db.select({ slug: products.slug }).from(products)).map((row) => row.slug);
      expect(slugs.toSorted()).toEqual(["held", "mine"]);
    });
  }

  it("gives up after its bound with a retryable error, and serves again once the lock is gone", async () => {
    await database.close();
    database = openSqlite({
      path: join(dir, "test.db"),
      busyRetry: { maxWaitMs: 50, firstDelayMs: 5, maxDelayMs: 10 },
    });
    const { products } = database.schema;
    const lock = await holdWriteLock();
    const error = await database
      .transaction((tx) => tx.insert(products).values(product("mine")))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionRetryError);
    expect(isDatabaseUnavailable(error)).toBe(true); // the API answers 503, retry later
    lock.release();
    await once(holder!, "exit");
    await database.transaction((tx) => tx.insert(products).values(product("after")));
    const slugs = (await database.db.select({ slug: products.slug }).from(products)).map((row) => row.slug);
    expect(slugs.toSorted()).toEqual(["after", "held"]);
  });
});
