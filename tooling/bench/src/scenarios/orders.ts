// orders.place: the full server placing one-line orders (a new idempotency key per request,
// customers taken in turn), against peers that do the same writes without HTTP. This file
// has the shared subjects and the SQLite set; orders-pg.ts has the PostgreSQL scenarios.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type Customer, registerCustomer } from "../api.ts";
import {
  type Backend,
  fullServerEnv,
  type Row,
  type RunContext,
  type ScenarioResult,
  startFullServer,
  withServers,
} from "../context.ts";
import { peerScript } from "../paths.ts";
import type { Spawned } from "../process.ts";
import { alternatingRounds, httpSubject, type Subject, type Summary } from "../rounds.ts";

export const ORDER_CLIENTS = 50;
/** Customers the requests rotate through (a different Authorization header each); 2 in the smoke run. */
const CUSTOMERS = 8;
const run = promisify(execFile);

export async function registerCustomers(url: string, smoke = false): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let i = 0; i < (smoke ? 2 : CUSTOMERS); i++) customers.push(await registerCustomer(url));
  return customers;
}

/** wrk placing orders on the full server: each request a new key, a product from `productIds`. */
export function fullOrdersSubject(
  context: RunContext,
  server: Spawned,
  customers: readonly Customer[],
  productIds: readonly string[],
): Subject {
  const body = JSON.stringify({ items: [{ productId: "{{product}}", quantity: 1 }], idempotencyKey: "{{key}}" });
  return httpSubject("full server", server, {
    connections: ORDER_CLIENTS,
    workDir: context.workDir,
    products: productIds,
    variants: customers.map((customer) => ({
      method: "POST",
      path: "/trpc/orders.place",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${customer.accessToken}` },
      body,
    })),
  });
}

/** The textbook transaction on the raw driver, in its own process (src/servers/raw-orders.ts). */
export function rawLoopSubject(databaseUrl: string, productId: string, userId: string): Subject {
  return {
    name: databaseUrl.startsWith("postgres") ? "raw pg loop" : "raw better-sqlite3 loop",
    async run(seconds) {
      const { stdout } = await run(process.execPath, ["--import", "tsx", peerScript("raw-orders")], {
        env: {
          ...fullServerEnv(databaseUrl),
          BENCH_PRODUCT_ID: productId,
          BENCH_USER_ID: userId,
          BENCH_SECONDS: String(seconds),
          BENCH_CONCURRENCY: String(ORDER_CLIENTS),
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

/** Rows: the full server first, then each peer with `full ÷ peer`. */
export function orderRows(
  scenario: string,
  note: string,
  summaries: readonly Summary[],
  notes: readonly (string | undefined)[] = [],
): Row[] {
  const [full] = summaries;
  return summaries.map((summary, index) => ({
    scenario,
    subject: summary.name,
    rps: summary.rps,
    p50Ms: summary.p50Ms,
    p99Ms: summary.p99Ms,
    peakRssBytes: summary.peakRssBytes,
    ratio: index === 0 ? undefined : full!.rps / summary.rps,
    note: index === 0 ? note : notes[index - 1],
  }));
}

/** SQLite: the full server against the raw better-sqlite3 loop, on one hot product. */
export async function sqliteOrdersScenario(
  context: RunContext,
  backend: Backend,
  hotProductId: string,
): Promise<ScenarioResult> {
  const full = await startFullServer(context, "full server (sqlite orders)", backend);
  return withServers([full], async () => {
    const customers = await registerCustomers(full.url, context.smoke);
    const summaries = await alternatingRounds(
      [
        fullOrdersSubject(context, full, customers, [hotProductId]),
        rawLoopSubject(backend.databaseUrl, hotProductId, customers[0]!.userId),
      ],
      context,
    );
    const [fullSummary, raw] = summaries as [Summary, Summary];
    return {
      rows: orderRows("sqlite orders.place", `${ORDER_CLIENTS} clients, hot product, ${backend.label}`, summaries),
      metrics: {
        "sqlite.orders.fullRps": fullSummary.rps,
        "sqlite.orders.ratio.rawLoop": fullSummary.rps / raw.rps,
        "server.peakRssBytes.sqlite.orders": fullSummary.peakRssBytes ?? 0,
      },
    };
  });
}
