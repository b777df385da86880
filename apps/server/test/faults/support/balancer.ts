// A small HTTP load balancer for the rolling-restart suite, doing what the deployment's
// Caddy does (tooling/deploy/Caddyfile): round robin over upstreams, active health checks of
// /ready, an upstream that refuses a connection skipped until its next good check, and a
// request that could not be delivered tried on another upstream for up to `tryDurationMs`
// (Caddy's lb_try_duration). A request is sent again only when that is safe: nothing reached
// the upstream (connection refused), or it is a GET/HEAD, or it carries an Idempotency-Key.
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sleep } from "./load.ts";

export interface BalancerOptions {
  healthIntervalMs?: number;
  tryDurationMs?: number;
}

interface HealthCheck {
  upstream: string;
  /** /ready status, or 0 when the upstream could not be reached. */
  status: number;
  at: number;
}

export interface Balancer {
  readonly url: string;
  /** Replaces `old` by `fresh` in the rotation; `fresh` joins after its first good health check. */
  replace(old: string, fresh: string): void;
  untilHealthy(upstream: string): Promise<void>;
  readonly stats: {
    /** Requests sent again to another upstream after a connection error. */
    retries: number;
    /** Requests answered by the balancer itself (no upstream could take them). */
    gaveUp: number;
    /** Per upstream: responses forwarded, and how many of them asked to close the connection. */
    responses: Map<string, { total: number; connectionClose: number }>;
    healthChecks: HealthCheck[];
  };
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te"]);
const MAX_BODY_BYTES = 1024 * 1024;

export async function startBalancer(upstreams: string[], options: BalancerOptions = {}): Promise<Balancer> {
  const healthIntervalMs = options.healthIntervalMs ?? 200;
  const tryDurationMs = options.tryDurationMs ?? 5000;
  let rotation = [...upstreams];
  const healthy = new Set(upstreams);
  let next = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const stats: Balancer["stats"] = { retries: 0, gaveUp: 0, responses: new Map(), healthChecks: [] };
  const startedAt = performance.now();

  const pick = (): string | undefined => {
    const candidates = rotation.filter((upstream) => healthy.has(upstream));
    if (candidates.length === 0) return undefined;
    return candidates[next++ % candidates.length];
  };

  async function checkHealth(upstream: string): Promise<void> {
    const status = await new Promise<number>((resolve) => {
      const probe = request(`${upstream}/ready`, { agent: false, timeout: 2000 }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      probe.once("timeout", () => probe.destroy(new Error("health check timed out")));
      probe.once("error", () => resolve(0));
      probe.end();
    });
    stats.healthChecks.push({ upstream, status, at: performance.now() - startedAt });
    if (status === 200 && rotation.includes(upstream)) healthy.add(upstream);
    else healthy.delete(upstream);
  }
  const stopChecks = new AbortController();
  const checks = (async () => {
    while (!stopChecks.signal.aborted) {
      await Promise.all(rotation.map(checkHealth));
      await sleep(healthIntervalMs);
    }
  })();

  function forward(upstream: string, incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse) {
    return new Promise<"sent" | { error: NodeJS.ErrnoException }>((resolve) => {
      const headers = { ...incoming.headers };
      for (const name of HOP_BY_HOP) delete headers[name];
      const proxied = request(`${upstream}${incoming.url}`, { method: incoming.method, headers, agent }, (response) => {
        const counts = stats.responses.get(upstream) ?? { total: 0, connectionClose: 0 };
        counts.total++;
        if (response.headers.connection?.toLowerCase() === "close") counts.connectionClose++;
        stats.responses.set(upstream, counts);
        const forwarded = Object.entries(response.headers).filter(([name]) => !HOP_BY_HOP.has(name));
        outgoing.writeHead(response.statusCode ?? 502, Object.fromEntries(forwarded));
        response.pipe(outgoing);
        resolve("sent");
      });
      proxied.once("error", (error: NodeJS.ErrnoException) => resolve({ error }));
      proxied.end(body);
    });
  }

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return void outgoing.writeHead(413).end();
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    const resendable =
      incoming.method === "GET" || incoming.method === "HEAD" || incoming.headers["idempotency-key"] !== undefined;
    const deadline = performance.now() + tryDurationMs;
    for (;;) {
      const upstream = pick();
      if (upstream) {
        const outcome = await forward(upstream, incoming, body, outgoing);
        if (outcome === "sent") return;
        // Refused means nothing reached it: skip it until a health check says otherwise.
        const refused = outcome.error.code === "ECONNREFUSED";
        if (refused) healthy.delete(upstream);
        if (!refused && !resendable) break;
        stats.retries++;
      }
      if (performance.now() > deadline) break;
      if (!upstream) await sleep(50);
    }
    stats.gaveUp++;
    outgoing.writeHead(502, { "content-type": "text/plain" }).end("no upstream could take the request\n");
  }
  // A client that went away mid-request only ends its own exchange.
  const server = createServer((incoming, outgoing) => void handle(incoming, outgoing).catch(() => outgoing.destroy()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    replace(old, fresh) {
      rotation = rotation.map((upstream) => (upstream === old ? fresh : upstream));
      healthy.delete(old);
    },
    async untilHealthy(upstream) {
      const deadline = performance.now() + 20_000;
      while (!healthy.has(upstream)) {
        if (performance.now() > deadline) throw new Error(`${upstream} never became healthy`);
        await sleep(20);
      }
    },
    async close() {
      stopChecks.abort();
      await checks;
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
