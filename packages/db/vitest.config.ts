import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // *.test-d.ts files are compiled, not run: type-level contracts fail `npm test` too.
    typecheck: { enabled: true, tsconfig: "./tsconfig.json" },
  },
});
