// On PostgreSQL, pg-boss's own maintenance deletes completed jobs: each job's queue carries
// the retention the server configures (JOB_RETENTION_DAYS), and the policy follows a change.
import { createThrowawayDatabaseUrl } from "@cartwheel/db/testing";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createPgBossEngine, defineJob, JobRegistry } from "../src/index.ts";

const registry = () =>
  new JobRegistry().add(defineJob({ name: "test.noop", schema: z.object({}), handler: async () => {} }));

describe("pg-boss job retention", () => {
  let target: Awaited<ReturnType<typeof createThrowawayDatabaseUrl>>;
  beforeAll(async () => {
    target = await createThrowawayDatabaseUrl();
  });
  afterAll(async () => target?.drop());

  it("sets deleteAfterSeconds from the retention days, and updates it on the next start", async () => {
    for (const days of [14, 3]) {
      const engine = createPgBossEngine({
        connectionString: target.url,
        label: "test",
        registry: registry(),
        retentionDays: days,
      });
      await engine.start();
      await engine.stop(1_000);
    }
    const boss = new PgBoss({ connectionString: target.url, schema: "pgboss", supervise: false, schedule: false });
    await boss.start();
    const queue = await boss.getQueue("test.noop");
    await boss.stop({ graceful: false, close: true });
    expect(queue?.deleteAfterSeconds).toBe(3 * 86_400);
    expect(queue?.retryLimit).toBe(5);
    expect(queue?.retryBackoff).toBe(true);
  });
});
