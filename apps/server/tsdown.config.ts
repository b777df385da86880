import { execSync } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
import { defineConfig } from "tsdown";

// Baked into the bundle for /version (GIT_COMMIT at run time still overrides the commit).
function gitCommit(): string | null {
  if (process.env.GIT_COMMIT) return process.env.GIT_COMMIT;
  try {
    return execSync("git rev-parse HEAD", { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return null; // Building outside a git checkout (e.g. a container context without .git).
  }
}
const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

// One file for fast cold starts; workspace packages are inlined, npm dependencies stay external,
// except drizzle-orm: Node reads the nearest package.json for every ESM file it loads, and
// drizzle-orm's (180 KB of exports) was parsed again for each of its hundreds of files, about
// two thirds of the time from process start to /ready.
// The span export thread is an entry of its own: a worker starts from a file, which
// @cartwheel/tracing looks for next to the chunk that starts it.
export default defineConfig({
  entry: { index: "src/index.ts", "span-export-worker": "../../packages/tracing/src/span-export-worker.ts" },
  format: "esm",
  platform: "node",
  target: "node22",
  dts: false,
  define: { CARTWHEEL_BUILD: JSON.stringify({ version, commit: gitCommit() }) },
  noExternal: [/^@cartwheel\//, /^drizzle-orm(\/|$)/],
  external: [/^(?!@cartwheel\/|drizzle-orm(\/|$))[^./]/],
  hooks: {
    "build:done": () => {
      cpSync("../../packages/db/migrations", "dist/migrations", { recursive: true });
    },
  },
});
