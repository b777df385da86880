import { createHash, timingSafeEqual } from "node:crypto";
import type { Services } from "@cartwheel/api";
import type { Metrics } from "@cartwheel/observability";
import { Hono } from "hono";
import type { Cluster, Redis } from "ioredis";
import type { BuildInfo } from "../build-info.ts";
import type { AppEnv } from "../hono-env.ts";
import { allowMethods } from "../middleware/methods.ts";
import { pingRedis } from "../redis.ts";

export interface OpsRoutesOptions {
  services: Services;
  redis: Redis | Cluster | null;
  metrics: Metrics;
  build: BuildInfo;
  /** `null` with `production` turns /metrics off; see metricsAuthorized. */
  metricsToken: string | null;
  production: boolean;
  /** Set during shutdown so load balancers stop routing here before connections close. */
  isDraining: () => boolean;
  /** The job engine's database (pg-boss's connections, or the jobs table), when this process has one. */
  queue?: { ping(): Promise<void> };
}

const CHECK_TIMEOUT_MS = 2000;
/** Dependencies the server keeps serving without (see /ready). */
const DEGRADABLE = new Set(["redis"]);

/** null when the probe answered in time, else the reason as one line (for the log only). */
async function check(probe: () => Promise<unknown>): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), expired]);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : "";
    return message || "failed";
  } finally {
    clearTimeout(timer);
  }
}

const sha256 = (value: string) => createHash("sha256").update(value).digest();

/** Compares fixed-length digests, so neither the bytes nor the length of the token leak through timing. */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/**
 * /metrics exposure: with METRICS_TOKEN set, scrapers must send `Authorization: Bearer
 * <token>` (any environment). Without it, /metrics is open in development and off (404)
 * in production, so a forgotten token never publishes internals.
 */
function metricsAuthorized(header: string | undefined, token: string | null, production: boolean) {
  if (token === null) return production ? "disabled" : "ok";
  return header?.startsWith("Bearer ") && sameSecret(header.slice("Bearer ".length), token) ? "ok" : "unauthorized";
}

/** Liveness, readiness, version and metrics endpoints. */
export function opsRoutes(options: OpsRoutesOptions): Hono<AppEnv> {
  const { services, redis, metrics, build } = options;
  const ops = new Hono<AppEnv>();
  const getOnly = allowMethods(["GET", "HEAD"]);
  const startedAt = Date.now();
  /** The state and reasons /ready last reported, so only changes are logged. */
  let lastReport = "ready {}";

  for (const path of ["/health", "/ready", "/version", "/metrics"]) ops.use(path, getOnly);

  // Liveness: the process answers. No dependency checks, or an outage would restart us.
  ops.get("/health", (c) => c.json({ status: "ok" }));

  ops.get("/ready", async (c) => {
    const probes: Record<string, () => Promise<unknown>> = { database: () => services.database.ping() };
    if (redis) probes.redis = () => pingRedis(redis);
    if (options.queue) probes.queue = () => options.queue!.ping();
    const names = Object.keys(probes);
    const results = await Promise.all(names.map((name) => check(probes[name]!)));
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i] === null ? "ok" : "unavailable"]));
    const failed = names.filter((_, i) => results[i] !== null);
    // Reasons (e.g. a TLS certificate error) go to the log, not to unauthenticated callers.
    const reasons = Object.fromEntries(names.flatMap((name, i) => (results[i] === null ? [] : [[name, results[i]]])));
    // Redis is degradable: rate limits, throttles and revocations fall back to this
    // instance's memory while it is gone. Failing readiness on it would make the load
    // balancer pull every instance at once, turning a Redis outage into a site outage.
    const degraded = failed.filter((name) => DEGRADABLE.has(name));
    const fatal = failed.filter((name) => !DEGRADABLE.has(name));
    if (options.isDraining()) fatal.push("shutting-down");
    const state = fatal.length > 0 ? "unavailable" : degraded.length > 0 ? "degraded" : "ready";
    const report = `${state} ${JSON.stringify(reasons)}`;
    if (report !== lastReport) {
      // Log changes only (of the state, or of why): probes run every few seconds.
      if (state === "ready") c.get("logger").info({ checks }, "ready again");
      else
        c.get("logger").warn(
          { failed, reasons },
          `${state === "degraded" ? "degraded" : "not ready"}: ${failed.join(", ")} unavailable`,
        );
      lastReport = report;
    }
    if (state === "unavailable") return c.json({ status: state, failed: fatal, checks }, 503);
    return c.json(state === "degraded" ? { status: state, degraded, checks } : { status: state, checks });
  });

  ops.get("/version", (c) =>
    c.json({
      version: build.version,
      commit: build.commit,
      node: process.version,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    }),
  );

  ops.get("/metrics", async (c) => {
    const access = metricsAuthorized(c.req.header("authorization"), options.metricsToken, options.production);
    if (access === "disabled") return c.json({ error: "Not Found" }, 404);
    if (access === "unauthorized") {
      return c.json({ error: "Send Authorization: Bearer <METRICS_TOKEN>." }, 401, { "WWW-Authenticate": "Bearer" });
    }
    return c.body(await metrics.registry.metrics(), 200, { "Content-Type": metrics.registry.contentType });
  });

  return ops;
}
