// Scenario 3: auth.login latency with up to 20 logins in flight, and the server's event-loop
// delay meanwhile, read from its own /metrics (prom-client's monitorEventLoopDelay gauges,
// reset at every scrape: one scrape before the burst, one after).
import { MAX_CONCURRENT_HASHES, MAX_WAITING_HASHES } from "@cartwheel/auth";
import { type Customer, registerCustomer } from "../api.ts";
import {
  type Backend,
  METRICS_TOKEN,
  type RunContext,
  type ScenarioResult,
  startFullServer,
  withServers,
} from "../context.ts";
import { drive, median } from "../wrk.ts";

/**
 * The server admits this many password checks at once (running plus waiting) and sheds the
 * rest with 503 + Retry-After; it runs on this machine, so it computes the same bound. More
 * connections would measure shedding, which the auth tests cover, instead of login latency.
 */
const CONCURRENT_LOGINS = Math.min(20, MAX_CONCURRENT_HASHES + MAX_WAITING_HASHES);
/** prom-client's default sampling interval: an idle loop reads about this much. */
const SAMPLING_MS = 10;

async function eventLoopP99Ms(url: string): Promise<number> {
  const response = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await response.text();
  const match = /^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([\d.e+-]+)$/m.exec(text);
  if (!response.ok || !match) throw new Error(`/metrics has no nodejs_eventloop_lag_p99_seconds (${response.status})`);
  return Number(match[1]) * 1000;
}

export async function loginScenario(context: RunContext, backend: Backend): Promise<ScenarioResult> {
  const full = await startFullServer(context, "full server (login)", backend);
  return withServers([full], async () => {
    // As many accounts as logins in flight, taken in turn: the login throttle counts
    // attempts per account and IP.
    const customers: Customer[] = [];
    for (let i = 0; i < CONCURRENT_LOGINS; i++) customers.push(await registerCustomer(full.url));
    const burst = (seconds: number) =>
      drive({
        url: full.url,
        connections: CONCURRENT_LOGINS,
        seconds,
        workDir: context.workDir,
        variants: customers.map(({ email, password }) => ({
          method: "POST",
          path: "/trpc/auth.login",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ email, password, transport: "token" }),
        })),
      });
    if (context.warmupSeconds > 0) await burst(Math.min(2, context.warmupSeconds));
    const runs: { p50: number; p99: number; rps: number; loopP99: number }[] = [];
    for (let round = 0; round < context.rounds; round++) {
      await eventLoopP99Ms(full.url); // resets the histogram
      const result = await burst(context.seconds);
      const loopP99 = await eventLoopP99Ms(full.url);
      runs.push({ ...result, loopP99 });
      context.log(
        `  round ${round + 1}: login p99 ${result.p99?.toFixed(1)} ms, event-loop delay p99 ${loopP99.toFixed(1)} ms`,
      );
    }
    const p50 = median(runs.map((r) => r.p50));
    const p99 = median(runs.map((r) => r.p99));
    const loopP99 = median(runs.map((r) => r.loopP99));
    const peak = full.peakRss();
    return {
      rows: [
        {
          scenario: "auth.login",
          subject: "full server",
          rps: median(runs.map((r) => r.rps)),
          p50Ms: p50,
          p99Ms: p99,
          peakRssBytes: peak,
          note: `${CONCURRENT_LOGINS} concurrent logins (argon2id), ${backend.label}`,
        },
        {
          scenario: "auth.login",
          subject: "event-loop delay p99",
          value: loopP99,
          unit: "ms",
          note: `monitorEventLoopDelay, ${SAMPLING_MS} ms sampling included`,
        },
      ],
      metrics: {
        "login.p50Ms": p50,
        "login.p99Ms": p99,
        "login.eventLoopP99Ms": loopP99,
        "login.peakRssBytes": peak,
      },
    };
  });
}
