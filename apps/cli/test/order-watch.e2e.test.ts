// `cartwheel orders watch` as a subprocess against the built server on SQLite, through a
// relay that drops the connection for a while: the NDJSON stream resumes with no gap.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createCartwheelClient } from "@cartwheel/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerCustomer, startRelay } from "../../server/test/support/live-orders.ts";
import { cartwheel, ensureBuilt, repoRoot, type RunningServer, startServer } from "./harness.ts";

const STAFF_EMAIL = "watch-staff@example.test";
const PASSWORD = "correct horse battery staple 42";

let dir = "";
let server: RunningServer;
let databaseUrl = "";

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cartwheel-watch-e2e-"));
  databaseUrl = `file:${join(dir, "cartwheel.db")}`;
  const created = await cartwheel(
    ["users", "create", "--email", STAFF_EMAIL, "--role", "staff", "--password-stdin", "--database-url", databaseUrl],
    { env: { XDG_CONFIG_HOME: join(dir, "config") }, input: `${PASSWORD}\n` },
  );
  if (created.code !== 0) throw new Error(`users create failed: ${created.stderr}`);
  server = await startServer({ DATABASE_URL: databaseUrl, AUTH_SECRET: "watch-e2e-secret".padEnd(48, "x") }, dir);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("cartwheel orders watch", () => {
  it("prints one NDJSON line per event, filtered by --status, and resumes after a network drop", async () => {
    const login = await fetch(`${server.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: STAFF_EMAIL, password: PASSWORD, transport: "token" }),
    });
    const { accessToken } = ((await login.json()) as { result: { data: { accessToken: string } } }).result.data;
    const customer = await registerCustomer(server.url);
    const shopper = createCartwheelClient({ url: server.url, tokens: customer.tokens });
    const staff = createCartwheelClient({ url: server.url, tokens: { accessToken } });
    const [product] = (await shopper.catalog.list.query({ limit: 1 })).items;
    const place = () =>
      shopper.orders.place.mutate({ items: [{ productId: product!.id, quantity: 1 }], idempotencyKey: randomUUID() });

    const relay = await startRelay(server.url);
    let watcher: ChildProcess | undefined;
    try {
      watcher = spawn(
        process.execPath,
        [`${repoRoot}/apps/cli/bin/cartwheel.mjs`, "orders", "watch", "--status", "pending", "--json"],
        {
          env: { PATH: process.env.PATH ?? "", HOME: dir, CARTWHEEL_URL: relay.url, CARTWHEEL_TOKEN: accessToken },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stderr = "";
      watcher.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const lines: Array<{ id: string; orderId: string; toStatus: string; type: string }> = [];
      const waiters = new Set<() => void>();
      createInterface({ input: watcher.stdout! }).on("line", (line) => {
        lines.push(JSON.parse(line) as (typeof lines)[number]);
        for (const waiter of waiters) waiter();
      });
      const until = (count: number) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${lines.length} lines; stderr: ${stderr}`)), 20_000);
          const check = () => {
            if (lines.length < count) return;
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          };
          waiters.add(check);
          check();
        });

      // The first order is placed until the watch has started and sees one (it starts at the present).
      const placed: string[] = [];
      while (lines.length === 0) {
        placed.push((await place()).id);
        await Promise.race([until(1), new Promise((resolve) => setTimeout(resolve, 500))]);
      }
      const seenFirst = placed.indexOf(lines[0]!.orderId);
      expect(seenFirst).toBeGreaterThanOrEqual(0);
      const expected = placed.slice(seenFirst);
      await until(expected.length);

      relay.cut();
      for (let n = 0; n < 3; n++) {
        const order = await place();
        expected.push(order.id);
        // Moves into other statuses: filtered out by --status pending.
        await staff.orders.updateStatus.mutate({ id: order.id, status: "paid" });
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
      relay.restore();
      await until(expected.length);
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(lines.map((line) => line.orderId)).toEqual(expected);
      expect(lines.every((line) => line.type === "placed" && line.toStatus === "pending")).toBe(true);
      expect(new Set(lines.map((line) => line.id)).size).toBe(lines.length);
      const exited = new Promise<number | null>((resolve) => watcher!.once("exit", (code) => resolve(code)));
      watcher.kill("SIGINT");
      expect(await exited).toBe(0);
    } finally {
      watcher?.kill("SIGKILL");
      await relay.close();
    }
  }, 90_000);
});
