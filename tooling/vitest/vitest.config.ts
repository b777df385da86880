import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// One vitest run over every workspace, so `npm test` ends in a single summary.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    projects: ["apps/*", "packages/*", "tooling/bench", "tooling/docs"],
    reporters: ["default", fileURLToPath(new URL("./summary-reporter.ts", import.meta.url))],
  },
});
