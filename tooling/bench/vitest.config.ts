import { defineProject } from "vitest/config";

// The smoke run starts a dozen processes and drives each for a second: well over the default timeout.
export default defineProject({
  test: { testTimeout: 300_000 },
});
