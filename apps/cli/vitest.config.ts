import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    // End-to-end: a real server process and the built CLI as subprocesses.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
