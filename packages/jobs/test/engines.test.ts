// The semantics both engines share, run on each: events become jobs through the outbox, a
// failing job retries with backoff and then waits in the dead letter, an admin's retry runs it
// again, and two relays never publish one event twice.
import { createEventRecorder } from "@cartwheel/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob, JobRegistry, type JobEngine } from "../src/index.ts";
import { engineKinds, eventually, openEngine, type OpenEngine } from "./support.ts";

const userId = "0b6c2f8e-6a51-4c3e-9a8e-2f1d7c3b5a90";

describe.each(engineKinds())("jobs on %s", (kind) => {
  let open: OpenEngine;
  let engine: JobEngine & { relayOnce(): Promise<number> };
  const welcomed: { eventId: string; jobId: string }[] = [];
  let flakyFailures = 0;
  let flakyFixed = false;

  beforeAll(async () => {
    open = await openEngine(kind);
    const registry = new JobRegistry()
      .add(
        defineJob({
          name: "test.welcome",
          schema: z.object({ eventId: z.uuid(), userId: z.uuid() }),
          handler: async (payload, { jobId }) => {
            welcomed.push({ eventId: payload.eventId, jobId });
          },
        }),
      )
      .add(
        defineJob({
          name: "test.flaky",
          schema: z.object({ n: z.number() }),
          retry: { limit: 1, delaySeconds: 1, backoff: "exponential" },
          handler: async () => {
            if (flakyFixed) return;
            flakyFailures += 1;
            throw new Error(`still broken (${flakyFailures}): 550 5.1.1 <jo.doe@example.com> unknown`);
          },
        }),
      )
      .route("user.registered", "test.welcome");
    engine = open.engine(registry);
    await engine.start();
    await engine.work();
  });

  afterAll(async () => {
    await engine?.stop(5_000);
    await open?.close();
  });

  it("turns a committed event into its job, and stamps the event published", async () => {
    const recorder = createEventRecorder(open.database);
    await open.database.transaction((tx) => recorder.record(tx, { type: "user.registered", payload: { userId } }));
    const [done] = await eventually(async () => welcomed.length > 0 && welcomed);
    const { db, schema } = open.database;
    const [event] = await db.select().from(schema.outboxEvents);
    expect(done!.eventId).toBe(event!.id);
    expect(event!.publishedAt).toBeInstanceOf(Date);
    const job = await engine.show(done!.jobId);
    expect(job).toMatchObject({ name: "test.welcome", payload: { eventId: event!.id, userId } });
  });

  it("retries a failing job, then dead-letters it; an admin's retry runs it again", async () => {
    const id = await engine.send("test.flaky", { n: 1 });
    const failed = await eventually(async () => {
      const page = await engine.list({ state: "failed", limit: 10 });
      return page.items.find((job) => job.id === id);
    });
    expect(flakyFailures).toBe(2);
    expect(failed).toMatchObject({ name: "test.flaky", attempts: 2, retryLimit: 1 });
    expect(failed.lastError).toContain("still broken (2)");
    // An address in the message (SMTP quotes the recipient) is masked before it is stored.
    expect(failed.lastError).toContain("<[email]>");
    expect(failed.lastError).not.toContain("jo.doe");
    const stats = await engine.stats();
    expect(stats.find((queue) => queue.name === "test.flaky")?.failed).toBe(1);

    flakyFixed = true;
    expect(await engine.retry(id)).toBe(true);
    const completed = await eventually(async () => {
      const job = await engine.show(id);
      return job?.state === "completed" && job;
    });
    expect(completed.state).toBe("completed");
    expect(await engine.retry(id)).toBe(false);
  });

  it("publishes each event once when two relays run at the same time", async () => {
    const recorder = createEventRecorder(open.database);
    const before = welcomed.length;
    await open.database.transaction(async (tx) => {
      for (let i = 0; i < 30; i += 1) await recorder.record(tx, { type: "user.registered", payload: { userId } });
    });
    await Promise.all([engine.relayOnce(), engine.relayOnce(), engine.relayOnce()]);
    await eventually(async () => welcomed.length >= before + 30);
    // Settle: any duplicate would arrive within the same poll cycles.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const events = welcomed.slice(before).map((run) => run.eventId);
    expect(new Set(events).size).toBe(30);
    expect(events).toHaveLength(30);
  });

  it("pages the listing with a keyset cursor", async () => {
    const first = await engine.list({ state: "completed", limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await engine.list({ state: "completed", limit: 2, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(2);
    expect(second.items.map((job) => job.id)).not.toContain(first.items[0]!.id);
  });
});
