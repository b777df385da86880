import { describe, expect, it } from "vitest";
import { hashPassword, MAX_CONCURRENT_HASHES, verifyPassword } from "../src/passwords.ts";

describe("argon2 queue", () => {
  it("leaves a core to the event loop and settles every queued job, failed ones included", async () => {
    expect(MAX_CONCURRENT_HASHES).toBeGreaterThanOrEqual(1);
    const stored = await hashPassword("correct horse battery");
    const outcomes = await Promise.all([
      verifyPassword(stored, "correct horse battery"),
      verifyPassword("not-a-phc-string", "anything"),
      verifyPassword(stored, "wrong password"),
      ...Array.from({ length: MAX_CONCURRENT_HASHES + 2 }, () => verifyPassword(stored, "correct horse battery")),
    ]);
    expect(outcomes).toEqual([true, false, false, ...Array.from({ length: MAX_CONCURRENT_HASHES + 2 }, () => true)]);
    // The slots were all handed back: a later job does not wait forever.
    await expect(verifyPassword(stored, "correct horse battery")).resolves.toBe(true);
  });
});
