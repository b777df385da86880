import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createMetrics, type Logger } from "@cartwheel/observability";
import { startTracing, type TracingHandle, tracingSettingsFromEnv } from "@cartwheel/tracing";
import { serve } from "@hono/node-server";
import { type AppOptions, createApp } from "./app.ts";
import { buildInfo } from "./build-info.ts";
import type { Config } from "./config.ts";
import { connected, redisFromConfig } from "./redis.ts";
import { traceRedisCommands } from "./redis-tracing.ts";
import { startJobs } from "./jobs.ts";
import { closeServices, createServices } from "./services.ts";
import { answerUnparsableRequest } from "./unparsable-request.ts";

/** How long startup waits for Redis before serving degraded (limits in memory). */
const REDIS_STARTUP_WAIT_MS = 5000;

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /**
   * Graceful stop: drain for SHUTDOWN_DRAIN_MS (still serving, /ready 503, `Connection:
   * close` on every response), then refuse new connections, let in-flight requests finish
   * (up to SHUTDOWN_TIMEOUT_MS), and close the database pool and Redis. Idempotent.
   */
  shutdown(reason: string): Promise<void>;
  /** The OpenTelemetry SDK when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT), else null. */
  readonly tracing: TracingHandle | null;
}

export interface StartOptions extends Pick<AppOptions, "router" | "authenticate" | "web"> {
  config: Config;
  logger: Logger;
}

export async function startServer({ config, logger, ...appOptions }: StartOptions): Promise<RunningServer> {
  const metrics = createMetrics();
  // Before anything that opens connections: the database and Redis hooks are installed only when it is on.
  const tracing = await startTracingFromConfig(config, logger);
  const redis = redisFromConfig(config, logger);
  if (redis) traceRedisCommands(redis);
  if (redis && !(await connected(redis, REDIS_STARTUP_WAIT_MS))) {
    logger.warn({ waitedMs: REDIS_STARTUP_WAIT_MS }, "starting degraded: redis is not reachable yet");
  }
  const created = await createServices(config, logger, { metrics, redis });
  // Every process creates the engine, for the jobs admin router; only WORKER=inline takes jobs,
  // and only a working process answers for the queue on /ready.
  const working = config.WORKER === "inline";
  const jobs = await startJobs(config, created, logger, { work: working });
  const services = { ...created, jobs };
  let draining = false;
  const app = createApp({
    ...appOptions,
    config,
    services,
    redis,
    isDraining: () => draining,
    queue: working ? jobs : undefined,
  });

  const server = await new Promise<Server>((resolve) => {
    const listening = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () =>
      resolve(listening as Server),
    );
  });
  server.on("clientError", answerUnparsableRequest());
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST}:${port}`;
  logger.info({ url, database: services.database.label, redis: redis !== null }, "server listening");

  // While draining, every response asks its client to close the connection, so keep-alive
  // clients (the load balancer's pool among them) reconnect, to another instance once this
  // one has left the rotation, instead of sending more requests down a socket about to close.
  server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.setHeader("Connection", "close");
  });

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      draining = true;
      if (config.SHUTDOWN_DRAIN_MS > 0) {
        logger.info({ reason, drainMs: config.SHUTDOWN_DRAIN_MS }, "shutting down: draining, /ready answers 503");
        await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
      }
      logger.info({ reason, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, "shutting down: finishing in-flight requests");
      // Event streams never finish by themselves: end them now (the load balancer has taken this
      // instance out of rotation while draining), so their clients reconnect to another one and
      // resume from their last event id.
      services.orderEvents.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets become idle once their in-flight response is sent; close them then.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), config.SHUTDOWN_TIMEOUT_MS);
      });
      if ((await Promise.race([closed, deadline])) === "timeout") {
        logger.warn("in-flight requests did not finish in time; closing their connections");
        server.closeAllConnections();
        await closed;
      }
      clearInterval(sweep);
      clearTimeout(timer);
      // Stops taking jobs and lets running ones finish before the database closes under them.
      await jobs.stop(config.SHUTDOWN_TIMEOUT_MS);
      await closeServices(services);
      if (redis) await redis.quit().catch(() => redis.disconnect());
      // The last requests' spans may still wait in the export thread.
      await tracing
        ?.shutdown()
        .catch((error: unknown) => logger.warn({ err: error }, "exporting the last spans failed"));
      logger.info("shutdown complete");
      // stdout is written asynchronously (see createLogger): the last lines must be out before the exit.
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
    })();
    return stopping;
  };

  return { url, port, shutdown, tracing };
}

async function startTracingFromConfig(config: Config, logger: Logger): Promise<TracingHandle | null> {
  const settings = tracingSettingsFromEnv(config, "cartwheel-server");
  if (!settings) return null;
  const tracing = await startTracing(settings, buildInfo(config.GIT_COMMIT).version, (error) =>
    logger.error({ reason: error.message }, "span export stopped: spans are dropped until restart"),
  );
  logger.info(
    {
      endpoint: settings.url,
      protocol: settings.protocol,
      sampler: settings.sampler,
      trustHeaders: config.TRUST_TRACE_HEADERS,
    },
    "tracing on",
  );
  return tracing;
}

/** SIGTERM/SIGINT → graceful shutdown → exit 0 (exit 1 if closing itself failed). */
export function exitOnSignals(running: RunningServer, logger: Logger): void {
  const onSignal = (signal: NodeJS.Signals) => {
    running.shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
}
