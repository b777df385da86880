import { createLogger } from "@cartwheel/observability";
import { ConfigError, loadConfig } from "./config.ts";
import { exitOnSignals, startServer } from "./server.ts";

async function main() {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL });
  const running = await startServer({ config, logger });
  exitOnSignals(running, logger);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : `Server failed to start: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
