#!/usr/bin/env node
// The CLI is bundled to dist/ by its build, which `npm start`, `npm test` and `npm run build`
// run. Without it, say how to get it instead of a module-not-found trace.
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli.mjs", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    "cartwheel: the CLI is not built yet. Run `npm start` or `npm run build` in the repository root first.\n",
  );
  process.exit(1);
}
await import(entry.href);
