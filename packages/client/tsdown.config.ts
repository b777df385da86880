import { defineConfig } from "tsdown";

// ESM plus a bundled .d.ts. The API's types come from src/generated/contract.ts (plain
// types), so neither output refers to the server's packages; @trpc/* stay dependencies.
export default defineConfig({
  entry: { index: "src/index.ts" },
  format: "esm",
  platform: "neutral",
  target: "es2022",
  fixedExtension: true,
  dts: { oxc: true },
  deps: { neverBundle: [/^@trpc\//] },
});
