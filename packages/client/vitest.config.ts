import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    // The packaging tests pack the package and run the compiler on a consumer project.
    testTimeout: 60_000,
  },
});
