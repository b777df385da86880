import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    // The packaging tests pack the package and run the compiler on a consumer project.
    testTimeout: 60_000,
    // *.test-d.ts files are compiled, not run: type-level contracts fail `npm test` too.
    typecheck: { enabled: true, tsconfig: "./tsconfig.json" },
  },
});
