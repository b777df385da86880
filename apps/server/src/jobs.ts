// The one place the server creates the job engine, registers what runs in the background and
// starts the worker. Mail and webhook consumers add their jobs and routes to `jobRegistry` with
// a line each: `registry.add(job).route("order.created", job.name)`.
import type { Services } from "@cartwheel/api";
import { purgeEndedCredentials } from "@cartwheel/auth";
import { createJobEngine, defineJob, JobRegistry, type JobEngine } from "@cartwheel/jobs";
import {
  accountMailHandlers,
  createMailer,
  loadMailConfig,
  orderMailHandlers,
  type Mailer,
  type MailConfig,
} from "@cartwheel/mail";
import type { Logger } from "@cartwheel/observability";
import { z } from "zod";
import type { Config } from "./config.ts";
import { addMailJobs } from "./mail-jobs.ts";
import { addWebhookJobs, type Enqueue } from "./webhook-jobs.ts";

/** Batches one expiry run may take before leaving the rest to the next minute's run. */
const EXPIRY_BATCHES_PER_RUN = 20;
/** Batches one address purge may take; a backlog beyond it is worked off on the following nights. */
const ADDRESS_PURGE_BATCHES_PER_RUN = 100;
const QUEUE_STATS_INTERVAL_MS = 10_000;

/** Where the job handlers send mail (a process that runs the worker creates one). */
export interface JobMail {
  mailer: Mailer;
  config: MailConfig;
}

/** Until the engine exists, nothing may be queued (handlers only run once it has started). */
const noEngineYet: Enqueue = () => Promise.reject(new Error("the job engine has not started"));

export function jobRegistry(
  config: Config,
  services: Services,
  mail?: JobMail,
  enqueue: Enqueue = noEngineYet,
): JobRegistry {
  const registry = new JobRegistry();
  if (mail) {
    const { mailer, config: mailConfig } = mail;
    addMailJobs(registry, {
      ...accountMailHandlers({ mailer, auth: services.auth, config: mailConfig }),
      ...orderMailHandlers({ mailer, orders: services.orderMail, config: mailConfig }),
    });
  }
  addWebhookJobs(registry, {
    webhooks: services.webhooks,
    enqueue,
    now: services.now,
    logger: services.logger,
    retentionDays: config.WEBHOOK_DELIVERY_RETENTION_DAYS,
  });
  registry.add(
    defineJob({
      name: "orders.expire_unpaid",
      schema: z.object({}),
      retry: { limit: 0 },
      handler: async () => {
        for (let batch = 0; batch < EXPIRY_BATCHES_PER_RUN; batch += 1) {
          const { more } = await services.orders.expireUnpaid(config.ORDER_PAYMENT_TTL_SECONDS);
          if (!more) return;
        }
      },
    }),
  );
  registry.add(
    defineJob({
      name: "credentials.purge",
      schema: z.object({}),
      handler: async () => {
        const purged = await purgeEndedCredentials(services, config.CREDENTIAL_RETENTION_DAYS);
        services.logger.info(purged, "purged ended credentials");
      },
    }),
  );
  registry.add(
    defineJob({
      name: "orders.purge_addresses",
      schema: z.object({}),
      handler: async () => {
        for (let batch = 0; batch < ADDRESS_PURGE_BATCHES_PER_RUN; batch += 1) {
          const { more } = await services.orders.purgeFinishedAddresses(config.ORDER_ADDRESS_RETENTION_DAYS);
          if (!more) return;
        }
      },
    }),
  );
  // Every minute an expiry pass (a no-op with nothing due); retention once a day, at night.
  registry.schedule("orders.expire_unpaid", "* * * * *");
  registry.schedule("credentials.purge", "23 3 * * *");
  registry.schedule("orders.purge_addresses", "41 3 * * *");
  return registry;
}

export interface StartJobsOptions {
  /** Take jobs in this process (the relay and cron included); false only creates the engine. */
  work: boolean;
}

export async function startJobs(config: Config, services: Services, logger: Logger, options: StartJobsOptions) {
  // Only a process that runs handlers sends mail; its settings are checked before it starts.
  const mailConfig = options.work ? loadMailConfig(process.env) : undefined;
  const mail = mailConfig && { mailer: createMailer(mailConfig, { logger }), config: mailConfig };
  // Webhook jobs queue their next attempt through the engine they run on, created just below.
  let engineRef: JobEngine | undefined;
  const enqueue: Enqueue = (name, payload, startAfter) =>
    engineRef ? engineRef.send(name, payload, startAfter && { startAfter }) : noEngineYet(name, payload);
  const engine: JobEngine = createJobEngine(services.database, {
    registry: jobRegistry(config, services, mail, enqueue),
    postgresUrl: services.database.dialect === "postgres" ? config.DATABASE_URL : undefined,
    retentionDays: config.JOB_RETENTION_DAYS,
    observer: {
      onRun: (name, outcome, seconds) => services.metrics?.jobRuns.labels({ job: name, outcome }).observe(seconds),
      onError: (error) =>
        logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, "job engine error"),
    },
  });
  engineRef = engine;
  await engine.start();
  if (options.work) await engine.work();
  logger.info({ engine: engine.label, working: options.work }, "job engine started");
  const stopGauges = options.work ? publishQueueStats(engine, services, logger) : () => {};
  return {
    ...engine,
    async stop(graceMs?: number) {
      stopGauges();
      await engine.stop(graceMs);
      mail?.mailer.close();
    },
  } satisfies JobEngine;
}

/** Queue depth and age for /metrics, refreshed on an interval (a scrape never waits on the queue). */
function publishQueueStats(engine: JobEngine, services: Services, logger: Logger) {
  const { metrics } = services;
  if (!metrics) return () => {};
  const refresh = async () => {
    try {
      for (const queue of await engine.stats()) {
        metrics.jobQueueDepth.labels({ job: queue.name, state: "queued" }).set(queue.queued);
        metrics.jobQueueDepth.labels({ job: queue.name, state: "active" }).set(queue.active);
        metrics.jobQueueDepth.labels({ job: queue.name, state: "failed" }).set(queue.failed);
        metrics.jobOldestAgeSeconds.labels({ job: queue.name }).set(queue.oldestAgeSeconds);
      }
    } catch (error) {
      logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, "queue stats failed");
    }
  };
  void refresh();
  const timer = setInterval(() => void refresh(), QUEUE_STATS_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
