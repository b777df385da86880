// Redis SIGKILLed while two built instances serve a mixed load (catalog pages, orders,
// refresh-token rotation): not one request may fail. Rate limits fall back to each
// instance's in-memory insurance limiter while Redis is gone, and are shared through Redis
// again once it is back and the instances have reconnected by themselves.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canControlPostgres, canControlRedis, type ControlledServer, redisServer } from "../support/services.ts";
import type { ServerProcess } from "../support/server-process.ts";
import { constantLoad, LoadRecorder, printFigures, sleep, trpcData } from "./support/load.ts";
import {
  type Customer,
  migrateWithProducts,
  placeOrder,
  productionEnv,
  readLedger,
  refreshSession,
  registerCustomers,
  somePostgres,
  startInstance,
  type TestDatabaseServer,
  UNLIMITED,
} from "./support/stack.ts";

const CLIENTS = 8;
const STOCK = 100_000;
const KILL_AT_MS = 3000;
const DOWN_MS = 5000;
/** Load keeps running this long after both instances are ready on Redis again. */
const AFTER_RECONNECT_MS = 2000;
const canRun = (Boolean(process.env.TEST_DATABASE_URL) || canControlPostgres) && canControlRedis;

/** The instances trust one proxy hop, so each client (and each probe) is its own rate-limit bucket. */
const freshIp = () => `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}::1`;

describe.skipIf(!canRun)("Redis killed under a mixed load", () => {
  let postgres: TestDatabaseServer;
  let redis: ControlledServer;
  let productIds: string[];
  const instances: ServerProcess[] = [];
  let customers: Customer[];

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([somePostgres(), redisServer()]);
    productIds = await migrateWithProducts(postgres.url, CLIENTS, STOCK);
    const env = productionEnv(postgres.url, { REDIS_URL: redis.url, TRUST_PROXY: "1" });
    instances.push(...(await Promise.all([startInstance(env), startInstance(env)])));
    customers = await registerCustomers(instances[0]!.url, CLIENTS);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await Promise.all([postgres?.destroy(), redis?.destroy()]);
  }, 60_000);

  it("fails no request while Redis is gone, limits from memory meanwhile, and reconnects by itself", async () => {
    const recorder = new LoadRecorder();
    const [a, b] = instances as [ServerProcess, ServerProcess];

    /** A, B, A, B from one new address: the RateLimit-Remaining each answer reports. */
    const probeCounting = async () => {
      const ip = freshIp();
      const remaining: number[] = [];
      for (const instance of [a, b, a, b]) {
        const answer = await recorder.time("catalog.list (probe)", (signal) =>
          fetch(`${instance.url}/trpc/catalog.list?input=%7B%7D`, { headers: { "x-forwarded-for": ip }, signal }),
        );
        remaining.push(Number(answer?.headers.get("ratelimit-remaining")));
      }
      return remaining;
    };
    /** What each instance's /ready answers: `200 ready`, `200 degraded` while Redis is gone. */
    const readyStates = () =>
      Promise.all(
        instances.map(async (instance) => {
          const response = await fetch(`${instance.url}/ready`);
          return `${response.status} ${((await response.json()) as { status: string }).status}`;
        }),
      );

    const limit = Number(UNLIMITED);
    const phases: Record<string, unknown> = {};
    let done = false;
    const outage = (async () => {
      try {
        phases.sharedBefore = await probeCounting();
        await sleep(KILL_AT_MS);
        await redis.stop(); // SIGKILL
        phases.killedAt = Math.round(performance.now() - recorder.startedAt);
        await sleep(500);
        phases.duringOutage = await probeCounting();
        phases.readyDuringOutage = await readyStates();
        await sleep(DOWN_MS);
        await redis.start();
        phases.restartedAt = Math.round(performance.now() - recorder.startedAt);
        const deadline = performance.now() + 15_000;
        while ((await readyStates()).some((state) => state !== "200 ready")) {
          if (performance.now() > deadline) throw new Error("the instances did not reconnect to Redis within 15 s");
          await sleep(100);
        }
        phases.reconnectedAt = Math.round(performance.now() - recorder.startedAt);
        phases.sharedAfter = await probeCounting();
        await sleep(AFTER_RECONNECT_MS);
      } finally {
        done = true;
      }
    })();
    outage.catch(() => undefined); // awaited below; until then a failure only ends the load early

    let ordersAnswered = 0;
    const answered: { customer: Customer; key: string; orderId: string }[] = [];
    await constantLoad({
      clients: CLIENTS,
      durationMs: 60_000,
      pauseMs: 100,
      until: () => done,
      step: async (client, iteration) => {
        const customer = customers[client]!;
        const instance = instances[(client + iteration) % instances.length]!;
        const headers = { "x-forwarded-for": `2001:db8:ffff:${client}::1` };
        switch (iteration % 3) {
          case 0:
            await recorder.time("catalog.list", (signal) =>
              fetch(`${instance.url}/trpc/catalog.list?input=${encodeURIComponent('{"limit":20}')}`, {
                headers,
                signal,
              }),
            );
            break;
          case 1: {
            const key = randomUUID();
            const answer = await recorder.time("orders.place", (signal) =>
              placeOrder(instance.url, customer, productIds[client]!, key, signal),
            );
            if (answer?.status === 200) {
              ordersAnswered++;
              answered.push({ customer, key, orderId: (trpcData(answer) as { id: string }).id });
            }
            break;
          }
          case 2:
            await refreshSession(recorder, instance.url, customer, headers);
            break;
        }
      },
    });
    await outage;

    const summary = recorder.summary();
    const ledger = await readLedger(postgres.url, productIds);
    printFigures("Redis killed under load", summary, {
      clients: CLIENTS,
      ...phases,
      "orders answered 2xx / in the database": `${ordersAnswered} / ${ledger.orderIds.size}`,
    });

    expect(recorder.failures()).toEqual([]);
    // Shared through Redis: one counter, decremented alternately by A and B.
    expect(phases.sharedBefore).toEqual([limit - 1, limit - 2, limit - 3, limit - 4]);
    // Redis gone: each instance counts in its own memory (the insurance limiter).
    expect(phases.duringOutage).toEqual([limit - 1, limit - 1, limit - 2, limit - 2]);
    // Degraded, not down: the balancer keeps both instances while Redis is gone.
    expect(phases.readyDuringOutage).toEqual(["200 degraded", "200 degraded"]);
    // Back on Redis after reconnecting by themselves: shared again.
    expect(phases.sharedAfter).toEqual([limit - 1, limit - 2, limit - 3, limit - 4]);
    for (const instance of instances) expect(instance.output()).toContain("redis reconnected");
    // The refresh rotations and orders kept working: every answered order is stored once.
    expect(summary.histogram["auth.refresh"]?.["200"]).toBeGreaterThan(0);
    expect(ledger.orderIds.size).toBe(ordersAnswered);
    for (const { customer, key, orderId } of answered) {
      expect(ledger.ordersPerKey.get(`${customer.userId} ${key}`)).toBe(1);
      expect(ledger.orderIds.has(orderId)).toBe(true);
    }
  }, 120_000);
});
