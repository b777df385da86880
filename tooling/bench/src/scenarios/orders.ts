// Scenario 2: orders.place, 50 concurrent clients on one hot product, versus the raw
// driver running the same transaction in a loop (src/servers/raw-orders.ts).
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { registerCustomer } from "../api.ts";
import { fullServerEnv, type RunContext, type ScenarioResult, startFullServer, withServers } from "../context.ts";
import { peerScript } from "../paths.ts";
import { alternatingRounds, httpSubject, type Subject } from "../rounds.ts";

const CONNECTIONS = 50;
const run = promisify(execFile);

function rawLoop(databaseUrl: string, productId: string, userId: string): Subject {
  return {
    name: databaseUrl.startsWith("postgres") ? "raw pg loop" : "raw better-sqlite3 loop",
    async run(seconds) {
      const { stdout } = await run(process.execPath, ["--import", "tsx", peerScript("raw-orders")], {
        env: {
          ...fullServerEnv(databaseUrl),
          BENCH_PRODUCT_ID: productId,
          BENCH_USER_ID: userId,
          BENCH_SECONDS: String(seconds),
          BENCH_CONCURRENCY: String(CONNECTIONS),
        },
      });
      const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
        transactions: number;
        seconds: number;
        p50: number;
        p99: number;
      };
      return {
        rps: result.transactions / result.seconds,
        p50: result.p50,
        p99: result.p99,
        requests: result.transactions,
      };
    },
  };
}

export async function ordersScenario(
  context: RunContext,
  databaseUrl: string,
  hotProductId: string,
): Promise<ScenarioResult> {
  const full = await startFullServer(context, "full server (orders)", databaseUrl);
  return withServers([full], async () => {
    const customer = await registerCustomer(full.url);
    const body = JSON.stringify({ items: [{ productId: hotProductId, quantity: 1 }], idempotencyKey: randomUUID() });
    const server = httpSubject("full server", full, {
      path: "/trpc/orders.place",
      method: "POST",
      connections: CONNECTIONS,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${customer.accessToken}` },
      // Every request is a new order: a fresh idempotency key each time.
      body: () => body.replace(/"idempotencyKey":"[^"]+"/, `"idempotencyKey":"${randomUUID()}"`),
    });
    const summaries = await alternatingRounds([server, rawLoop(databaseUrl, hotProductId, customer.userId)], context);
    const [fullSummary, raw] = summaries as [(typeof summaries)[0], (typeof summaries)[0]];
    const backend = databaseUrl.startsWith("postgres") ? "PostgreSQL" : "SQLite";
    return {
      rows: [
        {
          scenario: "orders.place",
          subject: "full server",
          ...pick(fullSummary),
          note: `${CONNECTIONS} clients, ${backend}`,
        },
        { scenario: "orders.place", subject: raw.name, ...pick(raw), ratio: fullSummary.rps / raw.rps },
      ],
      metrics: {
        "orders.fullRps": fullSummary.rps,
        "orders.ratio.rawLoop": fullSummary.rps / raw.rps,
        "server.peakRssBytes.orders": fullSummary.peakRssBytes ?? 0,
      },
    };
  });
}

const pick = (summary: { rps: number; p50Ms: number; p99Ms: number; peakRssBytes?: number }) => ({
  rps: summary.rps,
  p50Ms: summary.p50Ms,
  p99Ms: summary.p99Ms,
  peakRssBytes: summary.peakRssBytes,
});
