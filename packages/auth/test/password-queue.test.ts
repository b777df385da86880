import { describe, expect, it } from "vitest";
import {
  createPasswordHasher,
  hashPassword,
  MAX_CONCURRENT_HASHES,
  PasswordCheckAbandoned,
  PasswordQueueFull,
  verifyPassword,
} from "../src/passwords.ts";

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

/** A hasher with one slot and one place in line, the slot held until `release` is called. */
async function heldQueue() {
  const hasher = createPasswordHasher({ maxConcurrent: 1, maxWaiting: 1 });
  let release!: () => void;
  const holder = hasher.run(() => new Promise<void>((resolve) => (release = resolve)));
  await Promise.resolve();
  return { hasher, holder, release: () => release() };
}

describe("a caller that goes away", () => {
  it("leaves the line, so the place it held goes to the next caller", async () => {
    const { hasher, holder, release } = await heldQueue();
    const leaving = new AbortController();
    const abandoned = hasher.run(async () => "ran", { signal: leaving.signal });
    expect(hasher.hasRoom()).toBe(false);
    await expect(hasher.run(async () => "refused")).rejects.toBeInstanceOf(PasswordQueueFull);

    leaving.abort();
    await expect(abandoned).rejects.toBeInstanceOf(PasswordCheckAbandoned);
    expect(hasher.hasRoom()).toBe(true);
    const next = hasher.run(async () => "served");
    release();
    await holder;
    await expect(next).resolves.toBe("served");
  });

  it("is never started when it left before asking, and a job already running finishes", async () => {
    const { hasher, holder, release } = await heldQueue();
    await expect(hasher.run(async () => "ran", { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      PasswordCheckAbandoned,
    );
    const leaving = new AbortController();
    const running = hasher.run(async () => "finished", { signal: leaving.signal });
    release();
    await holder;
    leaving.abort(); // the slot was already handed over: the job runs to its end
    await expect(running).resolves.toBe("finished");
  });
});
