import { defineConfig } from "tsdown";

const shared = {
  entry: { index: "src/index.ts" },
  format: "esm",
  platform: "neutral",
  target: "es2022",
  fixedExtension: true,
} as const;

// ESM plus a bundled .d.ts. The API's types come from src/generated/contract.ts (plain
// types), so neither output refers to the server's packages.
export default defineConfig([
  // The JavaScript imports @trpc/* at run time: they are dependencies.
  { ...shared, dts: false, deps: { neverBundle: [/^@trpc\//] } },
  // The declarations inline the few @trpc/client types they use. @trpc/client's own entry
  // point declares its WebSocket link, which imports @trpc/server's ws adapter and with it
  // the `ws` typings; those do not compile against current @types/ws (or without it), so a
  // consumer with `skipLibCheck: false` would fail on code it never uses.
  {
    ...shared,
    clean: false,
    dts: { generator: "oxc", dtsOnly: true },
    deps: { alwaysBundle: [/^@trpc\/client/], neverBundle: [/^@trpc\/server/], onlyBundle: false },
  },
]);
