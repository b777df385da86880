import { defineProject } from "vitest/config";

// Router suites open a migrated database per backend (real PostgreSQL in CI) in their hooks.
export default defineProject({
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
});
