import { appRouter, INTERNAL_ERROR_MESSAGE, type Services } from "@cartwheel/api";
import { isDatabaseUnavailable } from "@cartwheel/db";
import { createMetrics, type Metrics } from "@cartwheel/observability";
import { createRateLimiterFactory } from "@cartwheel/rate-limit";
import type { AnyTRPCRouter } from "@trpc/server";
import { Hono, type MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Cluster, Redis } from "ioredis";
import { buildInfo } from "./build-info.ts";
import type { Config } from "./config.ts";
import type { AppEnv } from "./hono-env.ts";
import { inputLimitsFrom } from "./input-limits.ts";
import { accessLog } from "./middleware/access-log.ts";
import { authenticate, rejectInvalidCredential } from "./middleware/authenticate.ts";
import { serveFromCatalogPageCache } from "./fast-path/index.ts";
import { clientIp } from "./middleware/client-ip.ts";
import { corsAllowlist } from "./middleware/cors.ts";
import { drainUnreadBody } from "./middleware/drain-body.ts";
import { allowMethods } from "./middleware/methods.ts";
import { rateLimit } from "./middleware/rate-limit.ts";
import { requestId } from "./middleware/request-id.ts";
import { maxBody, requestTimeout } from "./middleware/request-limits.ts";
import { noStoreForApi, securityHeaders } from "./middleware/secure-headers.ts";
import { traceRequests } from "./middleware/tracing.ts";
import { type RateLimitRow, rateLimitRules, rateLimitTable } from "./rate-limit-rules.ts";
import { opsRoutes } from "./routes/ops.ts";
import { trpcErrorResponse } from "./trpc-error-response.ts";
import { trpcMount } from "./trpc-mount.ts";

export interface AppOptions {
  config: Config;
  services: Services;
  /** Shared Redis client when REDIS_URL is set (rate limits, readiness). */
  redis?: Redis | Cluster | null;
  /** Defaults to the real API; tests mount probe procedures. */
  router?: AnyTRPCRouter;
  /**
   * Auth slot: sets `c.var.actor` from a bearer token or API key. It runs before the rate
   * limiter, whose user and API-key rules key on the actor. Defaults to middleware/authenticate.ts.
   */
  authenticate?: MiddlewareHandler<AppEnv>;
  /**
   * Web slot: serves apps/web/dist after the API routes (static files, SPA fallback).
   * Responses already carry the strict web CSP from securityHeaders.
   */
  web?: (app: Hono<AppEnv>) => void;
  /** Tests isolate their Redis keys with a namespace, or try a table of their own. */
  rateLimits?: { namespace?: string; table?: readonly RateLimitRow[] };
  /** True once shutdown began; /ready then answers 503. */
  isDraining?: () => boolean;
  /** The job engine, for /ready's queue check. */
  queue?: { ping(): Promise<void> };
}

/**
 * The whole HTTP surface. Order matters: the request id and access log wrap everything;
 * headers apply to every response; method/size/time limits come before any work; the
 * rate limiter needs the client IP and the authenticated actor.
 */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const { config, services } = options;
  const redis = options.redis ?? null;
  const production = config.NODE_ENV === "production";
  const metrics: Metrics = services.metrics ?? createMetrics({ defaultMetrics: false });
  const rateLimits = {
    rules: rateLimitRules(config, options.rateLimits?.table ?? rateLimitTable),
    limiters: createRateLimiterFactory({ redis, namespace: options.rateLimits?.namespace }),
  };

  const limits = inputLimitsFrom(config);
  const app = new Hono<AppEnv>();

  app.use(drainUnreadBody({ maxBytes: limits.bulkBodyBytes }));
  // Tracing first, so the request logger requestId binds carries the request span's ids.
  const tracing = traceRequests(config.TRUST_TRACE_HEADERS);
  if (tracing) app.use(tracing);
  app.use(requestId(services.logger));
  app.use(accessLog(metrics));
  app.use(securityHeaders(production));
  app.use(noStoreForApi());
  if (config.CORS_ORIGINS.length > 0) app.use(corsAllowlist(config.CORS_ORIGINS));
  app.use(clientIp(config.TRUST_PROXY));

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    if (isDatabaseUnavailable(error)) {
      c.get("logger").warn({ err: error }, "database unavailable");
      return trpcErrorResponse(c, "SERVICE_UNAVAILABLE", "The database is unavailable. Please retry shortly.");
    }
    c.get("logger").error({ err: error }, "unhandled error");
    return trpcErrorResponse(c, "INTERNAL_SERVER_ERROR", production ? INTERNAL_ERROR_MESSAGE : error.message);
  });

  app.route(
    "/",
    opsRoutes({
      services,
      redis,
      metrics,
      build: buildInfo(config.GIT_COMMIT),
      metricsToken: config.METRICS_TOKEN ?? null,
      production,
      isDraining: options.isDraining ?? (() => false),
      queue: options.queue,
    }),
  );

  app.use("/trpc/*", allowMethods(["GET", "POST"], true));
  app.use("/trpc/*", maxBody(limits));
  app.use("/trpc/*", requestTimeout(config.REQUEST_TIMEOUT_MS));
  app.use("/trpc/*", options.authenticate ?? authenticate(services.auth));
  app.use("/trpc/*", rateLimit({ ...rateLimits, maxBatch: config.TRPC_MAX_BATCH, metrics }));
  app.use("/trpc/*", rejectInvalidCredential());
  const catalogPageCache = services.catalog.catalogPageCache;
  if (catalogPageCache) app.use("/trpc/catalog.list", serveFromCatalogPageCache(catalogPageCache, metrics));
  app.use(
    "/trpc/*",
    trpcMount({
      router: options.router ?? appRouter,
      services,
      metrics,
      limits,
      maxBatchSize: config.TRPC_MAX_BATCH,
      trustedOrigins: config.CORS_ORIGINS,
      production,
    }),
  );

  options.web?.(app);
  return app;
}
