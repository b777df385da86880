// SIGTERM during a rolling restart of two built instances behind a load balancer (the
// test's own, doing what the deployment's Caddy does): not one request may fail. On SIGTERM
// an instance drains: /ready answers 503 so the balancer takes it out, requests keep being
// served (with `Connection: close`) meanwhile, and only then does it stop listening and exit 0.
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canControlPostgres, canControlRedis, type ControlledServer, redisServer } from "../support/services.ts";
import type { ServerProcess } from "../support/server-process.ts";
import { type Balancer, startBalancer } from "./support/balancer.ts";
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
} from "./support/stack.ts";

const CLIENTS = 10;
const STOCK = 100_000;
/** Well above the balancer's 200 ms health-check interval, as production sets it above Caddy's. */
const DRAIN_MS = 1500;
const canRun = (Boolean(process.env.TEST_DATABASE_URL) || canControlPostgres) && canControlRedis;

/** GET over one kept-alive socket, so the test sees what the server asks of that connection. */
function getOn(agent: Agent, url: string) {
  return new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    const sent = request(url, { agent }, (response) => {
      response.resume();
      response.once("end", () =>
        resolve({ status: response.statusCode ?? 0, connection: response.headers.connection }),
      );
    });
    sent.once("error", reject);
    sent.end();
  });
}

describe.skipIf(!canRun)("SIGTERM during a rolling restart behind a load balancer", () => {
  let postgres: TestDatabaseServer;
  let redis: ControlledServer;
  let env: Record<string, string>;
  let productIds: string[];
  const started: ServerProcess[] = [];

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([somePostgres(), redisServer()]);
    productIds = await migrateWithProducts(postgres.url, CLIENTS, STOCK);
    env = productionEnv(postgres.url, { REDIS_URL: redis.url, SHUTDOWN_DRAIN_MS: String(DRAIN_MS) });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(started.map((instance) => instance.stop()));
    await Promise.all([postgres?.destroy(), redis?.destroy()]);
  }, 60_000);

  const launch = async () => {
    const instance = await startInstance(env);
    started.push(instance);
    return instance;
  };

  it("while draining, answers /ready 503 and keeps serving with Connection: close, then exits 0", async () => {
    const instance = await launch();
    const kept = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await getOn(kept, `${instance.url}/health`)).toEqual({ status: 200, connection: "keep-alive" });
      const signalledAt = performance.now();
      process.kill(instance.pid, "SIGTERM");
      await sleep(300);
      // Still listening and serving, but telling the balancer to stop routing here…
      expect((await getOn(kept, `${instance.url}/ready`)).status).toBe(503);
      // …and every client to reconnect (elsewhere) rather than reuse this connection.
      expect(await getOn(kept, `${instance.url}/health`)).toEqual({ status: 200, connection: "close" });
      expect(await instance.exited).toBe(0);
      expect(performance.now() - signalledAt).toBeGreaterThanOrEqual(DRAIN_MS);
      expect(instance.output()).toContain("shutting down: draining");
      expect(instance.output()).toContain("shutdown complete");
    } finally {
      kept.destroy();
    }
  }, 60_000);

  it("restarts A then B under a constant load with zero failed requests", async () => {
    let a = await launch();
    let b = await launch();
    let balancer: Balancer | undefined;
    try {
      balancer = await startBalancer([a.url, b.url]);
      const customers: Customer[] = await registerCustomers(balancer.url, CLIENTS);
      const recorder = new LoadRecorder();
      const answered = new Map<string, { customer: Customer; orderId: string }>();
      let restarted = false;

      const restart = (async () => {
        try {
          await sleep(2000);
          const exitCodes: (number | null)[] = [];
          for (const which of ["a", "b"] as const) {
            const old = which === "a" ? a : b;
            exitCodes.push(await old.stop());
            const fresh = await launch();
            balancer.replace(old.url, fresh.url);
            await balancer.untilHealthy(fresh.url);
            if (which === "a") a = fresh;
            else b = fresh;
          }
          await sleep(1000);
          return exitCodes;
        } finally {
          restarted = true;
        }
      })();
      // Awaited after the load; until then a failure only ends the load early.
      restart.catch(() => undefined);

      await constantLoad({
        clients: CLIENTS,
        // Ends when the restart is done; this only bounds a restart that hangs.
        durationMs: 180_000,
        pauseMs: 100,
        until: () => restarted,
        step: async (client, iteration) => {
          const customer = customers[client]!;
          if (iteration % 3 === 0) {
            await recorder.time("catalog.list", (signal) =>
              fetch(`${balancer!.url}/trpc/catalog.list?input=${encodeURIComponent("{}")}`, { signal }),
            );
            return;
          }
          if (iteration % 3 === 2) {
            // Not safe to send twice (it rotates the token), so the balancer never retries it.
            await refreshSession(recorder, balancer!.url, customer);
            return;
          }
          const key = randomUUID();
          const answer = await recorder.time("orders.place", (signal) =>
            placeOrder(balancer!.url, customer, productIds[client]!, key, signal),
          );
          if (answer?.status === 200) answered.set(key, { customer, orderId: (trpcData(answer) as { id: string }).id });
        },
      });
      const exitCodes = await restart;

      const summary = recorder.summary();
      const ledger = await readLedger(postgres.url, productIds);
      const drainedOut = (upstream: string) =>
        balancer!.stats.healthChecks.some((c) => c.upstream === upstream && c.status === 503);
      printFigures("Rolling restart of two instances behind the balancer", summary, {
        clients: CLIENTS,
        "exit codes of the replaced instances": exitCodes,
        "balancer retries (connection errors)": balancer.stats.retries,
        "responses per upstream (total / Connection: close)": Object.fromEntries(
          [...balancer.stats.responses].map(([upstream, counts]) => [
            upstream,
            `${counts.total} / ${counts.connectionClose}`,
          ]),
        ),
        "orders answered 2xx": answered.size,
        "orders in the database": ledger.orderIds.size,
      });

      expect(recorder.failures()).toEqual([]);
      expect(balancer.stats.gaveUp).toBe(0);
      expect(exitCodes).toEqual([0, 0]);
      // Both old instances left the rotation through /ready (503 while draining), not by vanishing.
      const oldUpstreams = [...balancer.stats.responses.keys()].filter((u) => u !== a.url && u !== b.url);
      expect(oldUpstreams).toHaveLength(2);
      expect(oldUpstreams.filter(drainedOut)).toEqual(oldUpstreams);
      // The new instances took traffic.
      expect(balancer.stats.responses.get(a.url)?.total).toBeGreaterThan(0);
      expect(balancer.stats.responses.get(b.url)?.total).toBeGreaterThan(0);
      // Every order answered is in the database once, and no other order is.
      expect(ledger.orderIds.size).toBe(answered.size);
      for (const [key, { customer, orderId }] of answered) {
        expect(ledger.ordersPerKey.get(`${customer.userId} ${key}`)).toBe(1);
        expect(ledger.orderIds.has(orderId)).toBe(true);
      }
      expect(ledger.stock).toBe(STOCK * CLIENTS - answered.size);
    } finally {
      await balancer?.close();
    }
  }, 240_000);
});
