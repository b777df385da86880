// PostgreSQL stopped (pg_ctl stop -m fast) and restarted while 20 clients keep placing
// orders through two built server processes. Each client retries a failed order with the
// same idempotency key, as a careful client does. Nothing may hang, every failure must be a
// clean 503, and afterwards the database must hold each order exactly once.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canControlPostgres } from "../support/services.ts";
import type { ServerProcess } from "../support/server-process.ts";
import { constantLoad, LoadRecorder, printFigures, sleep, trpcData } from "./support/load.ts";
import {
  type Customer,
  migrateWithProducts,
  ownPostgres,
  placeOrder,
  productionEnv,
  readLedger,
  registerCustomers,
  startInstance,
  type TestDatabaseServer,
} from "./support/stack.ts";

const CLIENTS = 20;
const LOAD_MS = 15_000;
const STOP_AT_MS = 4000;
const DOWN_MS = 4000;
const RETRY_PAUSE_MS = 100;
/** A key still unanswered this long after the load ends counts as lost (and fails the test). */
const SETTLE_MS = 20_000;
const STOCK = 100_000;

describe.skipIf(!canControlPostgres)("PostgreSQL stopped and restarted under a constant order load", () => {
  let postgres: TestDatabaseServer;
  let productIds: string[];
  const instances: ServerProcess[] = [];
  let customers: Customer[];

  beforeAll(async () => {
    postgres = await ownPostgres();
    productIds = await migrateWithProducts(postgres.url, CLIENTS, STOCK);
    const env = productionEnv(postgres.url);
    instances.push(...(await Promise.all([startInstance(env), startInstance(env)])));
    customers = await registerCustomers(instances[0]!.url, CLIENTS);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await postgres?.destroy();
  }, 60_000);

  it("answers every attempt, fails only with a 503 within 2 s while down, and keeps each order exactly once", async () => {
    const recorder = new LoadRecorder();
    const keys: { customer: Customer; key: string }[] = [];
    /** key → the order id of its 2xx answer. */
    const answered = new Map<string, string>();
    let retries = 0;
    const outage = { stoppedAt: 0, restartedAt: 0 };

    const outageDone = (async () => {
      await sleep(STOP_AT_MS);
      await postgres.cluster!.stop();
      outage.stoppedAt = performance.now() - recorder.startedAt;
      await sleep(DOWN_MS);
      await postgres.cluster!.start();
      outage.restartedAt = performance.now() - recorder.startedAt;
    })();

    const giveUpAt = performance.now() + LOAD_MS + SETTLE_MS;
    await constantLoad({
      clients: CLIENTS,
      durationMs: LOAD_MS,
      pauseMs: 100,
      step: async (client, iteration) => {
        const customer = customers[client]!;
        const key = randomUUID();
        keys.push({ customer, key });
        for (let attempt = 0; performance.now() < giveUpAt; attempt++) {
          if (attempt > 0) retries++;
          // Alternate instances, as a balancer would spread the retries.
          const instance = instances[(client + iteration + attempt) % instances.length]!;
          const answer = await recorder.time("orders.place", (signal) =>
            placeOrder(instance.url, customer, productIds[client]!, key, signal),
          );
          if (answer?.status === 200) {
            answered.set(key, (trpcData(answer) as { id: string }).id);
            return;
          }
          await sleep(RETRY_PAUSE_MS);
        }
      },
    });
    await outageDone;

    const summary = recorder.summary();
    const failures = recorder.failures();
    const ledger = await readLedger(postgres.url, productIds);
    printFigures("PostgreSQL stopped and restarted under load", summary, {
      clients: CLIENTS,
      outage: `stopped at ${Math.round(outage.stoppedAt)} ms, running again at ${Math.round(outage.restartedAt)} ms`,
      "retries with the same key": retries,
      "slowest failed attempt": `${Math.round(Math.max(0, ...failures.map((f) => f.ms)))} ms`,
      "orders answered 2xx": answered.size,
      "orders in the database": ledger.orderIds.size,
      stock: `${STOCK * CLIENTS} → ${ledger.stock}`,
    });

    // Both instances lived through the outage (else their last output shows why not).
    for (const instance of instances) {
      const state = await Promise.race([instance.exited, sleep(0).then(() => "running")]);
      expect(state === "running" ? state : instance.output().slice(-3000)).toBe("running");
    }
    // The outage really hit the load: attempts were refused while PostgreSQL was down.
    const refused = failures.filter((f) => f.at >= outage.stoppedAt - 1000 && f.at <= outage.restartedAt);
    expect(refused.length).toBeGreaterThan(0);
    // Every failure is a clean 503 (no 500, no dropped connection, no attempt left hanging
    // until the client gave up), and a fast one: the outage itself never makes anyone wait.
    expect(new Set(failures.map((f) => f.outcome))).toEqual(new Set([503]));
    expect(Math.max(...failures.map((f) => f.ms))).toBeLessThan(2000);

    // Every key was eventually answered, and the database holds exactly that: one order per key.
    expect(answered.size).toBe(keys.length);
    const perKey = keys.map(({ customer, key }) => ledger.ordersPerKey.get(`${customer.userId} ${key}`) ?? 0);
    expect(perKey.filter((count) => count !== 1)).toEqual([]);
    expect(ledger.orderIds.size).toBe(keys.length);
    expect([...answered.values()].filter((id) => !ledger.orderIds.has(id))).toEqual([]);
    // Stock went down once per order, through the ledger, and nowhere else.
    expect(ledger.stock).toBe(STOCK * CLIENTS - keys.length);
    expect(ledger.placedDelta).toBe(-keys.length);
    expect(ledger.orderedQuantity).toBe(keys.length);
  }, 90_000);
});
