// Soak: the built server on PostgreSQL + Redis under a steady mixed load for
// `--soak-minutes` (10 by default): catalog pages, orders, order history, `auth.me` and
// refresh-token rotation. It reports the server's RSS at the start and the end, and the p99
// per minute, so a leak or a slow drift shows as a trend. The load is paced (a few workers,
// a pause after each request): a soak looks for drift, not for the machine's limit.
import { randomUUID } from "node:crypto";
import { type Customer, registerCustomer } from "../api.ts";
import {
  type Backend,
  type Row,
  type RunContext,
  type ScenarioResult,
  startFullServer,
  withServers,
} from "../context.ts";
import { median } from "../wrk.ts";
import { rssOf } from "../process.ts";

const WORKERS = 6;
const PAUSE_MS = 10;
const REQUEST_TIMEOUT_MS = 10_000;
const BUCKET_MS = 60_000;

type Kind = "catalog.list" | "orders.place" | "orders.mine" | "auth.me" | "auth.refresh";
/** One worker's cycle: half catalog reads, then orders, history, identity and a token rotation. */
const MIX: readonly Kind[] = [
  "catalog.list",
  "orders.place",
  "catalog.list",
  "orders.mine",
  "catalog.list",
  "auth.me",
  "catalog.list",
  "orders.place",
  "catalog.list",
  "auth.refresh",
];
const CATALOG_INPUTS = [{ limit: 20 }, { limit: 20, sort: "price_asc" }, { limit: 20, q: "Lantern" }, { limit: 50 }];

const query = (procedure: string, input: unknown) =>
  `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;

const postTo = (baseUrl: string, procedure: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}/trpc/${procedure}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
const getFrom = (baseUrl: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}${path}`, { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

interface Bucket {
  latencies: number[];
}

export async function soakScenario(
  context: RunContext,
  backend: Backend,
  options: { seconds: number; hotProductId: string },
): Promise<ScenarioResult> {
  const full = await startFullServer(context, "full server (soak)", backend);
  return withServers([full], async () => {
    const rssIdleBytes = rssOf(full.child.pid);
    const customers: Customer[] = [];
    for (let i = 0; i < WORKERS; i++) customers.push(await registerCustomer(full.url));

    async function send(kind: Kind, customer: Customer, n: number): Promise<number> {
      const auth = { Authorization: `Bearer ${customer.accessToken}` };
      let response: Response;
      switch (kind) {
        case "catalog.list":
          response = await getFrom(full.url, query("catalog.list", CATALOG_INPUTS[n % CATALOG_INPUTS.length]));
          break;
        case "orders.place":
          response = await postTo(
            full.url,
            "orders.place",
            { items: [{ productId: options.hotProductId, quantity: 1 }], idempotencyKey: randomUUID() },
            auth,
          );
          break;
        case "orders.mine":
          response = await getFrom(full.url, query("orders.mine", { limit: 20 }), auth);
          break;
        case "auth.me":
          response = await getFrom(full.url, "/trpc/auth.me", auth);
          break;
        case "auth.refresh": {
          response = await postTo(full.url, "auth.refresh", { refreshToken: customer.refreshToken });
          if (response.ok) {
            // The old refresh token is spent: keep the rotated pair, as a client must.
            const text = await response.text();
            const { accessToken, refreshToken } = (
              JSON.parse(text) as { result: { data: { accessToken: string; refreshToken: string } } }
            ).result.data;
            Object.assign(customer, { accessToken, refreshToken });
            return response.status;
          }
          break;
        }
      }
      await response.arrayBuffer();
      return response.status;
    }

    const totalMs = options.seconds * 1000;
    const bucketMs = Math.min(BUCKET_MS, totalMs);
    const buckets: Bucket[] = Array.from({ length: Math.ceil(totalMs / bucketMs) }, () => ({ latencies: [] }));
    const failures: string[] = [];
    const rssStartBytes = rssOf(full.child.pid);
    const startedAt = performance.now();
    const deadline = startedAt + totalMs;
    context.log(`  ${options.seconds} s of mixed load, ${WORKERS} workers, ${backend.label}`);

    await Promise.all(
      customers.map(async (customer) => {
        for (let n = 0; performance.now() < deadline; n++) {
          const kind = MIX[n % MIX.length]!;
          const sentAt = performance.now();
          const status = await send(kind, customer, n).catch((error: unknown) =>
            error instanceof Error ? error.message : String(error),
          );
          const bucket = buckets[Math.min(buckets.length - 1, Math.floor((sentAt - startedAt) / bucketMs))]!;
          bucket.latencies.push(performance.now() - sentAt);
          if (status !== 200) failures.push(`${kind}: ${status}`);
          await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
        }
      }),
    );
    const rssEndBytes = rssOf(full.child.pid);
    const peakRssBytes = full.peakRss();
    if (failures.length > 0) {
      throw new Error(`soak: ${failures.length} requests failed, first: ${failures.slice(0, 5).join("; ")}`);
    }

    const rows: Row[] = buckets.map((bucket, index) => {
      const sorted = bucket.latencies.toSorted((a, b) => a - b);
      const from = (index * bucketMs) / 1000;
      const to = Math.min(totalMs, (index + 1) * bucketMs) / 1000;
      const seconds = to - from;
      const p99 = sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
      context.log(`  ${from}–${to} s: ${sorted.length} requests, p99 ${p99.toFixed(1)} ms`);
      return {
        scenario: "soak",
        subject: bucketMs === BUCKET_MS ? `minute ${index + 1}` : `${from}–${to} s`,
        rps: sorted.length / seconds,
        p50Ms: median(sorted),
        p99Ms: p99,
        note: index === 0 ? `${WORKERS} workers, ${PAUSE_MS} ms pause, mixed, ${backend.label}` : undefined,
      };
    });
    rows.push({
      scenario: "soak",
      subject: "server RSS at the end",
      value: rssEndBytes / 1024 / 1024,
      unit: "MB",
      peakRssBytes,
      note: `${mb(rssIdleBytes)} MB idle, ${mb(rssStartBytes)} MB at the start (after ${WORKERS} sign-ups), ${mb(rssEndBytes)} MB after ${options.seconds} s`,
    });
    const requests = buckets.reduce((sum, bucket) => sum + bucket.latencies.length, 0);
    return {
      rows,
      metrics: {
        "soak.requests": requests,
        "soak.rssIdleBytes": rssIdleBytes,
        "soak.rssStartBytes": rssStartBytes,
        "soak.rssEndBytes": rssEndBytes,
        "soak.peakRssBytes": peakRssBytes,
        "soak.worstMinuteP99Ms": Math.max(...rows.flatMap((row) => (row.p99Ms === undefined ? [] : [row.p99Ms]))),
      },
    };
  });
}
