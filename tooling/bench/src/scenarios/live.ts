// Live order streams at scale, on PostgreSQL + Redis: 1,000 `orders.events` streams open on one
// instance (held by src/servers/subscribers.ts in its own process). Fan-out: staff streams (100
// staff accounts × 10, each receives every event) while staff change orders' statuses; latency
// from the change's request to each stream's arrival, and the server's RSS with them open.
// Cost: orders.place under wrk with no streams open against 1,000 customer streams open
// (100 customers × 10, the wrk customers among them, so every placement reaches its owner's
// ten streams), alternating rounds, same server.
import { type ChildProcess, fork } from "node:child_process";
import { MAX_SUBSCRIPTIONS_PER_USER } from "@cartwheel/contracts";
import pg from "pg";
import { type Customer, mutate, registerCustomer, signIn } from "../api.ts";
import {
  type Backend,
  fullServerEnv,
  type Row,
  type RunContext,
  type ScenarioResult,
  withServers,
} from "../context.ts";
import { peerScript, serverEntry, serverNodeFlags } from "../paths.ts";
import { rssOf, spawnServer } from "../process.ts";
import { alternatingRounds, type Subject, type Summary } from "../rounds.ts";
import { median } from "../wrk.ts";
import { fullOrdersSubject } from "./orders.ts";

const ACCOUNTS = 100;
const ORDERS_CHANGED = 10;
/** An order's changes in turn: three events per order. */
const CHANGES = ["paid", "shipped", "delivered"] as const;
const CHANGE_GAP_MS = 100;
/** Where staff accounts' client addresses start (customers' start at 0). */
const STAFF_ADDRESSES = 1_000;

type Arrivals = Record<string, number[]>;

/** The subscribers process, driven over IPC. */
class Subscribers {
  private constructor(private readonly child: ChildProcess) {}

  static start(): Subscribers {
    return new Subscribers(fork(peerScript("subscribers"), [], { execArgv: ["--import", "tsx"], stdio: "ignore" }));
  }

  private ask<T>(message: object, answer: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: { type: string; message?: string }) => {
        if (reply.type !== answer && reply.type !== "error") return;
        this.child.off("message", onMessage);
        if (reply.type === "error") reject(new Error(`subscribers: ${reply.message}`));
        else resolve(reply as T);
      };
      this.child.on("message", onMessage);
      this.child.send(message);
    });
  }

  open(url: string, accounts: readonly Customer[]): Promise<{ streams: number; ms: number }> {
    const streams = accounts.flatMap((account, a) =>
      Array.from({ length: MAX_SUBSCRIPTIONS_PER_USER }, (_, s) => {
        const client = a * MAX_SUBSCRIPTIONS_PER_USER + s;
        return { token: account.accessToken, ip: `10.1.${client >> 8}.${client & 255}` };
      }),
    );
    return this.ask({ type: "open", url, streams }, "opened");
  }

  async arrivals(): Promise<Arrivals> {
    return (await this.ask<{ arrivals: Arrivals }>({ type: "arrivals" }, "arrivals")).arrivals;
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    await this.ask({ type: "close" }, "closed").catch(() => {});
    await exited;
  }
}

/** Each account signs up from an address of its own, as people do (sign-in throttles count per address). */
const clientAddress = (n: number) => ({ "x-forwarded-for": `10.2.${n >> 8}.${n & 255}` });

/** Registers accounts a few at a time (sign-up hashes a password; the pool has a queue). */
async function registerAll(url: string, count: number, firstAddress: number): Promise<Customer[]> {
  const accounts: Customer[] = [];
  while (accounts.length < count) {
    const batch = Math.min(4, count - accounts.length);
    const start = firstAddress + accounts.length;
    accounts.push(
      ...(await Promise.all(Array.from({ length: batch }, (_, i) => registerCustomer(url, clientAddress(start + i))))),
    );
  }
  return accounts;
}

async function promoteToStaff(databaseUrl: string, url: string, accounts: Customer[]): Promise<Customer[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("update users set role = 'staff' where id = any($1::uuid[])", [accounts.map((a) => a.userId)]);
  } finally {
    await client.end();
  }
  // A few at a time: sign-in hashes too, and the hashing queue sheds a burst with 503.
  const signedIn: Customer[] = [];
  for (let i = 0; i < accounts.length; i += 4) {
    const batch = accounts.slice(i, i + 4);
    signedIn.push(
      ...(await Promise.all(
        batch.map((account, j) => signIn(url, account.email, account.password, clientAddress(STAFF_ADDRESSES + i + j))),
      )),
    );
  }
  return signedIn;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

export async function liveScenario(
  context: RunContext,
  backend: Backend,
  hotProductId: string,
): Promise<ScenarioResult> {
  const accounts = context.smoke ? 2 : ACCOUNTS;
  const full = await spawnServer({
    name: "full server (live orders)",
    args: [...serverNodeFlags(), serverEntry],
    // Behind a load balancer: each stream's X-Forwarded-For is its client, as the per-address cap sees it.
    env: { ...fullServerEnv(backend.databaseUrl, backend.redisUrl), TRUST_PROXY: "1" },
    workDir: context.workDir,
    readyPath: "/ready",
  });
  return withServers([full], async () => {
    const customers = await registerAll(full.url, accounts, 0);
    const staff = await promoteToStaff(
      backend.databaseUrl,
      full.url,
      await registerAll(full.url, accounts, STAFF_ADDRESSES),
    );
    const ordersChanged = context.smoke ? 1 : ORDERS_CHANGED;
    const orders: string[] = [];
    for (let i = 0; i < ordersChanged; i++) {
      const auth = { Authorization: `Bearer ${customers[i % customers.length]!.accessToken}` };
      const input = { items: [{ productId: hotProductId, quantity: 1 }], idempotencyKey: crypto.randomUUID() };
      orders.push((await mutate<{ id: string }>(full.url, "orders.place", input, auth)).id);
    }

    // Fan-out to staff streams.
    const rssIdle = rssOf(full.child.pid);
    const watchers = Subscribers.start();
    let opened: { streams: number; ms: number };
    const sentAt = new Map<string, number>();
    let arrivals: Arrivals;
    let rssOpen: number;
    try {
      opened = await watchers.open(full.url, staff);
      const staffAuth = { Authorization: `Bearer ${staff[0]!.accessToken}` };
      for (const status of CHANGES) {
        for (const orderId of orders) {
          sentAt.set(`${orderId}:${status}`, performance.timeOrigin + performance.now());
          await mutate(full.url, "orders.updateStatus", { id: orderId, status }, staffAuth);
          await new Promise((resolve) => setTimeout(resolve, CHANGE_GAP_MS));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      arrivals = await watchers.arrivals();
      rssOpen = rssOf(full.child.pid);
    } finally {
      await watchers.close();
    }
    const latencies = [...sentAt].flatMap(([key, sent]) => (arrivals[key] ?? []).map((at) => at - sent));
    latencies.sort((a, b) => a - b);
    const expected = sentAt.size * opened.streams;
    if (latencies.length !== expected) {
      throw new Error(`fan-out delivered ${latencies.length} of ${expected} events to ${opened.streams} streams`);
    }

    // Throughput with and without 1,000 customer streams open.
    const ordersLoad = fullOrdersSubject(context, full, customers.slice(0, 8), [hotProductId]);
    const withStreams: Subject = {
      name: `full server, ${opened.streams} customer streams open`,
      process: full,
      async run(seconds) {
        const streams = Subscribers.start();
        try {
          await streams.open(full.url, customers);
          return await ordersLoad.run(seconds);
        } finally {
          await streams.close();
        }
      },
    };
    const [without, withOpen] = (await alternatingRounds(
      [{ ...ordersLoad, name: "full server, no streams" }, withStreams],
      context,
    )) as [Summary, Summary];

    const label = `${opened.streams} streams, ${backend.label}`;
    const rows: Row[] = [
      {
        scenario: "pg live fan-out",
        subject: "status change → each staff stream",
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        note: `${label}; ${latencies.length} deliveries of ${sentAt.size} changes, ${CHANGE_GAP_MS} ms apart; opened in ${(opened.ms / 1000).toFixed(1)} s`,
      },
      {
        scenario: "pg live fan-out",
        subject: "server RSS with the streams open",
        value: rssOpen / 1024 / 1024,
        unit: "MB",
        note: `${(rssIdle / 1024 / 1024).toFixed(0)} MB before opening`,
      },
      ...[without, withOpen].map((summary, index) => ({
        scenario: "pg live orders.place",
        subject: summary.name,
        rps: summary.rps,
        p50Ms: summary.p50Ms,
        p99Ms: summary.p99Ms,
        ratio: index === 1 ? summary.rps / without.rps : undefined,
        note: index === 0 ? `50 clients, hot product, ${backend.label}` : "with ÷ without",
      })),
    ];
    return {
      rows,
      metrics: {
        "pg.live.fanout.p50Ms": percentile(latencies, 50),
        "pg.live.fanout.p99Ms": percentile(latencies, 99),
        "pg.live.fanout.medianMs": median(latencies),
        "pg.live.rssOpenBytes": rssOpen,
        "pg.live.orders.ratio": withOpen.rps / without.rps,
      },
    };
  });
}
