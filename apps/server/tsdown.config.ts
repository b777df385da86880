import { cpSync } from "node:fs";
import { defineConfig } from "tsdown";

// One file for fast cold starts; workspace packages are inlined, npm dependencies stay external.
export default defineConfig({
  entry: { index: "src/index.ts" },
  format: "esm",
  platform: "node",
  target: "node20",
  dts: false,
  noExternal: [/^@cartwheel\//],
  external: [/^(?!@cartwheel\/)[^./]/],
  hooks: {
    "build:done": () => {
      cpSync("../../packages/db/migrations", "dist/migrations", { recursive: true });
    },
  },
});
