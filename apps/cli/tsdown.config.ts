import { cpSync } from "node:fs";
import { defineConfig } from "tsdown";

// dist/cli.mjs declares the commands; each command's code is a chunk loaded on first use.
// Workspace packages and small pure-JS dependencies are inlined so start-up resolves few
// modules; drivers and native modules (used only by `db` and `users create`) stay external.
export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: "esm",
  platform: "node",
  target: "node22",
  fixedExtension: true,
  dts: false,
  deps: {
    alwaysBundle: [/^@cartwheel\//, "commander", /^@trpc\//, /^csv-(parse|stringify)/, "zod"],
    neverBundle: [/^(?!@cartwheel\/|commander|@trpc\/|csv-parse|csv-stringify|zod)[^./]/],
  },
  hooks: {
    "build:done": () => {
      // @cartwheel/db looks for its migrations next to the bundle.
      cpSync("../../packages/db/migrations", "dist/migrations", { recursive: true });
    },
  },
});
