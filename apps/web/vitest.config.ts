import react from "@vitejs/plugin-react";
import { defineProject } from "vitest/config";

export default defineProject({
  plugins: [react()],
  test: {
    // Component tests use happy-dom; e2e files opt into node with a `@vitest-environment` comment.
    environment: "happy-dom",
    include: ["test/**/*.test.{ts,tsx}", "e2e/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
