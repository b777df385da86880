// The server's scheduled work, run as jobs through the job engine on SQLite: the credential
// purge deletes a long-ended session and keeps a live one, and unpaid-order expiry runs to
// completion. Completed jobs themselves are purged after JOB_RETENTION_DAYS.
import { createLogger } from "@cartwheel/observability";
import { sealUserRow } from "@cartwheel/pii";
import { piiOfEnv, testPiiEnv } from "@cartwheel/pii/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config.ts";
import { startJobs } from "../src/jobs.ts";
import { closeServices, createServices } from "../src/services.ts";

const DAY_MS = 86_400_000;

describe("scheduled jobs on the table engine", () => {
  const dir = mkdtempSync(join(tmpdir(), "cartwheel-scheduled-"));
  const piiEnv = testPiiEnv();
  const { pii, emailIndexKey } = piiOfEnv(piiEnv);
  const config = loadConfig({
    ...piiEnv,
    NODE_ENV: "test",
    DATABASE_URL: `file:${join(dir, "jobs.db")}`,
    AUTH_SECRET: "test-secret-".padEnd(40, "x"),
    JOB_RETENTION_DAYS: "14",
  });
  const logger = createLogger({ level: "error" });
  let services: Awaited<ReturnType<typeof createServices>>;
  let engine: Awaited<ReturnType<typeof startJobs>>;

  beforeAll(async () => {
    services = await createServices(config, logger, { redis: null });
    engine = await startJobs(config, services, logger, { work: true });
  });
  afterAll(async () => {
    await engine?.stop(5_000);
    await closeServices(services);
    rmSync(dir, { recursive: true, force: true });
  });

  async function completes(name: string) {
    const id = await engine.send(name, {});
    for (let waited = 0; waited < 45_000; waited += 50) {
      const job = await engine.show(id);
      if (job?.state === "completed" || job?.state === "failed") return job;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${name} did not finish`);
  }

  it("credentials.purge deletes a session ended past the retention period and keeps a live one", async () => {
    const { db, schema: s } = services.database;
    const now = Date.now();
    const [user] = await db
      .insert(s.users)
      .values({ ...sealUserRow(pii, emailIndexKey, { email: "old@example.test", name: "Old" }), passwordHash: "x" })
      .returning({ id: s.users.id });
    const session = (revokedDaysAgo: number | null) => ({
      userId: user!.id,
      lastUsedAt: new Date(now - 40 * DAY_MS),
      expiresAt: new Date(now + DAY_MS),
      absoluteExpiresAt: new Date(now + DAY_MS),
      revokedAt: revokedDaysAgo === null ? null : new Date(now - revokedDaysAgo * DAY_MS),
    });
    const [ended, live] = await db
      .insert(s.sessions)
      .values([session(40), session(null)])
      .returning({ id: s.sessions.id });

    expect((await completes("credentials.purge")).state).toBe("completed");
    const left = await db.select({ id: s.sessions.id }).from(s.sessions).where(eq(s.sessions.userId, user!.id));
    expect(left.map((row) => row.id)).toEqual([live!.id]);
    expect(left.map((row) => row.id)).not.toContain(ended!.id);
  });

  it("orders.purge_addresses runs to completion", async () => {
    expect((await completes("orders.purge_addresses")).state).toBe("completed");
  });

  it("orders.expire_unpaid runs to completion", async () => {
    expect((await completes("orders.expire_unpaid")).state).toBe("completed");
  });

  it("purges completed jobs older than JOB_RETENTION_DAYS and keeps recent ones", async () => {
    const { db, schema: s } = services.database;
    const recent = await completes("orders.expire_unpaid");
    const old = await completes("orders.expire_unpaid");
    await db
      .update(s.jobs)
      .set({ completedAt: new Date(Date.now() - 15 * DAY_MS) })
      .where(eq(s.jobs.id, old.id));
    const purged = await (engine as unknown as { purgeCompleted(): Promise<number> }).purgeCompleted();
    expect(purged).toBe(1);
    expect(await engine.show(old.id)).toBeNull();
    expect((await engine.show(recent.id))?.state).toBe("completed");
  });
});
