import { defineProject } from "vitest/config";

export default defineProject({
  // argon2 at OWASP parameters costs tens of milliseconds per sign-up; PGlite boots slowly.
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
});
