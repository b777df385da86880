import { createDatabase } from "@cartwheel/db";
import { createLogger } from "@cartwheel/observability";
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";

async function main() {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const database = await createDatabase(config.DATABASE_URL);
  const app = createApp({ services: { database, logger, now: () => new Date() } });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info({ url: `http://${config.HOST}:${info.port}`, database: database.label }, "server listening");
  });
  const stop = () => {
    server.close(() => void database.close().then(() => process.exit(0)));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Server failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
