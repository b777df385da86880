// `node dist/index.mjs worker`: the job worker as its own process (relay, cron and handlers),
// for deployments that keep it off the request path (WORKER=off on the servers).
import type { Logger } from "@cartwheel/observability";
import { createMetrics } from "@cartwheel/observability";
import type { Config } from "./config.ts";
import { startJobs } from "./jobs.ts";
import { closeServices, createServices } from "./services.ts";

export async function runWorker(config: Config, logger: Logger): Promise<void> {
  const services = await createServices(config, logger, { metrics: createMetrics(), redis: null });
  const engine = await startJobs(config, services, logger, { work: true });
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      logger.info({ signal }, "worker stopping: finishing running jobs");
      await engine.stop(config.SHUTDOWN_TIMEOUT_MS);
      await closeServices(services);
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
      process.exit(0);
    })();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
