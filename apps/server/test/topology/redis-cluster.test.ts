// Production topology with Redis Cluster: two built server processes (NODE_ENV=production)
// on one PostgreSQL and a three-master Redis Cluster this file starts itself. Rate limits
// and revocations are shared through the cluster, and losing one master (SIGKILL, no
// replica to fail over to) never turns into a 5xx: the slots that are gone, and then the
// whole cluster once it declares itself down, fall back to the per-instance limiter.
//
// PostgreSQL comes from TEST_DATABASE_URL under CI=true (a missing service fails the run),
// otherwise from a server this file starts. redis-server must be installed: under CI=true
// a missing one fails the run, never skips it.
import { testPiiEnv } from "@cartwheel/pii/testing";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createDatabase } from "@cartwheel/db";
import { rateLimitKeyPrefix } from "@cartwheel/rate-limit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rateLimitKeyForIp } from "../../src/middleware/client-ip.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import {
  canControlPostgres,
  canControlRedis,
  postgresForTest,
  type TestPostgres,
  usesProvidedPostgres,
} from "../support/services.ts";
import { type RedisClusterUnderTest, startRedisCluster } from "./redis-cluster.ts";

/** One set of PII keys for every process of the file, as a deployment shares them. */
const PII_ENV = testPiiEnv();

const bundle = fileURLToPath(new URL("../../dist/index.mjs", import.meta.url));
const IP_LIMIT = 6;
const canRun = (usesProvidedPostgres || canControlPostgres) && canControlRedis;

let ipCounter = 0;
/** Each scenario is its own client (the instances trust one proxy hop), so buckets never mix. */
const freshClientIp = () => {
  ipCounter++;
  return `198.51.${100 + Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
};

interface Client {
  ip: string;
  token?: string;
}

async function call(instance: ServerProcess, client: Client, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { "x-forwarded-for": client.ip };
  if (client.token) headers.authorization = `Bearer ${client.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${instance.url}${path.startsWith("/") ? path : `/trpc/${path}`}`, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const catalogList = `catalog.list?input=${encodeURIComponent("{}")}`;

async function data<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${text}`);
  return (JSON.parse(text) as { result: { data: T } }).result.data;
}

async function untilStatus(instance: ServerProcess, path: string, wanted: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${instance.url}${path}`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === wanted) return;
    if (Date.now() > deadline)
      throw new Error(`${instance.url}${path}: ${status}, not ${wanted}:\n${instance.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Registers, then signs in (sign-up signs nobody in), and keeps the session's token on `client`. */
async function register(instance: ServerProcess, client: Client, name: string): Promise<void> {
  const account = {
    email: `${name.toLowerCase()}-${randomUUID()}@example.test`,
    password: "correct horse battery staple 42",
  };
  await data(await call(instance, client, "auth.register", { ...account, name, transport: "token" }));
  const session = await data<{ accessToken: string }>(
    await call(instance, client, "auth.login", { ...account, transport: "token" }),
  );
  client.token = session.accessToken;
}

describe.skipIf(!canRun)("two server instances on a three-node Redis Cluster", () => {
  let cluster: RedisClusterUnderTest | undefined;
  let postgres: TestPostgres | undefined;
  const instances: ServerProcess[] = [];
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build -w @cartwheel/server first`);
    cluster = await startRedisCluster({ nodeTimeoutMs: 2000 });

    postgres = await postgresForTest();
    const databaseUrl = postgres.url;
    const database = await createDatabase(databaseUrl, { migrate: true });
    await database.close();

    const env = {
      NODE_ENV: "production",
      // API instances only: production mails through SMTP, and these tests have no mail to send.
      WORKER: "off",
      AUTH_SECRET: randomBytes(48).toString("base64"),
      ...PII_ENV,
      DATABASE_URL: databaseUrl,
      REDIS_CLUSTER_NODES: cluster.nodeUrls.join(","),
      TRUST_PROXY: "1",
      RATE_LIMIT_IP_PER_MIN: String(IP_LIMIT),
    };
    [a, b] = await Promise.all([startServerProcess(bundle, env), startServerProcess(bundle, env)]);
    instances.push(a, b);
    await Promise.all([untilStatus(a, "/ready", 200), untilStatus(b, "/ready", 200)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await cluster?.destroy();
    await postgres?.release();
  }, 30_000);

  it("runs on all three masters", async () => {
    const infos = await Promise.all(cluster!.ports.map((port) => cluster!.info(port)));
    expect(infos.map((info) => [info.cluster_state, info.cluster_known_nodes, info.cluster_size])).toEqual([
      ["ok", "3", "3"],
      ["ok", "3", "3"],
      ["ok", "3", "3"],
    ]);
  });

  it("shares one rate limit across both instances, whichever node holds the key", async () => {
    // Clients until their counters sit on at least two different masters.
    const clients: Client[] = [];
    const ports = new Set<number>();
    while (ports.size < 2) {
      const client = { ip: freshClientIp() };
      clients.push(client);
      ports.add(await cluster!.portOfKey(`${rateLimitKeyPrefix("ip")}:${rateLimitKeyForIp(client.ip)}`));
    }
    for (const client of clients) {
      const remaining: (string | null)[] = [];
      for (let n = 0; n < IP_LIMIT; n++) {
        const response = await call(n % 2 === 0 ? a : b, client, catalogList);
        expect(response.status).toBe(200);
        remaining.push(response.headers.get("ratelimit-remaining"));
        await response.body?.cancel();
      }
      expect(remaining).toEqual(["5", "4", "3", "2", "1", "0"]);
      for (const instance of [a, b]) {
        const refused = await call(instance, client, catalogList);
        expect(refused.status).toBe(429);
        await refused.body?.cancel();
      }
    }
  });

  it("rejects on B the access token of a session logged out on A", async () => {
    const client: Client = { ip: freshClientIp() };
    await register(a, client, "Clustered");
    expect(await data<{ name: string }>(await call(b, client, "auth.me"))).toMatchObject({ name: "Clustered" });
    expect(await data(await call(a, client, "auth.logout", {}))).toEqual({ ok: true });
    const afterLogout = await call(b, client, "auth.me");
    expect(afterLogout.status).toBe(401);
    await afterLogout.body?.cancel();
  });

  it("keeps answering 2xx when a master is SIGKILLed, and /ready names redis", async () => {
    const signedIn: Client = { ip: freshClientIp() };
    await register(b, signedIn, "Survivor");
    // The master holding this client's IP counter is the one that dies.
    const victim: Client = { ip: freshClientIp() };
    const victimPort = await cluster!.portOfKey(`${rateLimitKeyPrefix("ip")}:${rateLimitKeyForIp(victim.ip)}`);
    expect((await call(a, victim, catalogList)).status).toBe(200);

    await cluster!.kill(victimPort);
    const survivor = cluster!.ports.find((port) => port !== victimPort)!;

    // Bounded traffic through both phases: right after the kill (only the dead node's
    // slots fail) and after the node timeout, when the cluster reports itself down.
    const victimStatuses: number[] = [];
    const otherStatuses: number[] = [];
    const clusterStates: string[] = [];
    for (let round = 0; round < 40 && clusterStates.filter((state) => state === "fail").length < 10; round++) {
      const instance = round % 2 === 0 ? a : b;
      const victimCall = await call(instance, victim, catalogList);
      victimStatuses.push(victimCall.status);
      await victimCall.body?.cancel();
      // New client IPs each round: limits now count per instance, and these must all pass.
      for (const [client, path] of [
        [{ ip: freshClientIp() }, catalogList],
        [{ ip: freshClientIp(), token: signedIn.token }, "auth.me"],
      ] as const) {
        const response = await call(instance, client, path);
        otherStatuses.push(response.status);
        // The per-IP limit still holds and is announced (from the fallback limiter).
        expect(response.headers.get("ratelimit-limit")).toBe(String(IP_LIMIT));
        await response.body?.cancel();
      }
      clusterStates.push((await cluster!.info(survivor)).cluster_state ?? "");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(clusterStates).toContain("fail");
    expect(otherStatuses.filter((status) => status !== 200)).toEqual([]);
    // The victim's slot is gone: each instance now grants its 6 a minute from memory,
    // then refuses with 429; never a 5xx.
    expect(victimStatuses.slice(0, 2 * (IP_LIMIT - 1))).toEqual(Array.from({ length: 2 * (IP_LIMIT - 1) }, () => 200));
    expect(victimStatuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);

    for (const instance of [a, b]) {
      const ready = await call(instance, { ip: freshClientIp() }, "/ready");
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: "degraded",
        degraded: ["redis"],
        checks: { database: "ok", redis: "unavailable" },
      });
      // One warning line naming the dependency and why (stdout is written asynchronously).
      await vi.waitFor(() => {
        const notReady = instance
          .output()
          .split("\n")
          .filter((line) => line.includes('"degraded: redis unavailable"'))
          .map((line) => JSON.parse(line) as { reasons: Record<string, string> });
        expect(notReady.at(-1)?.reasons.redis).toMatch(/^cluster(_state:fail reported by| master) 127\.0\.0\.1:\d+/);
      });
      expect(instance.output()).not.toContain(cluster!.password);
    }
  }, 60_000);
});
