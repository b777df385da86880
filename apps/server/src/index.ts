import { fileURLToPath } from "node:url";
import { createLogger } from "@cartwheel/observability";
import { ConfigError, loadConfig, withDotEnv } from "./config.ts";
import { webAppSlot } from "./middleware/web-app.ts";
import { exitOnSignals, startServer } from "./server.ts";
import { runWorker } from "./worker.ts";

async function main() {
  const config = loadConfig(withDotEnv());
  const logger = createLogger({ level: config.LOG_LEVEL });
  if (process.argv[2] === "worker") return runWorker(config, logger);
  // Resolves to apps/web/dist from both src/index.ts and the bundled dist/index.mjs.
  const webRoot = config.WEB_DIST_DIR ?? fileURLToPath(new URL("../../web/dist", import.meta.url));
  const running = await startServer({ config, logger, web: webAppSlot(webRoot, logger) });
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
