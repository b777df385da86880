// The jobs admin router over a real engine on each database: the table engine on SQLite,
// pg-boss on PostgreSQL. A job whose handler throws lands in the dead letter, is listed there,
// shown with its payload, redriven, and completes; only admins get in.
import { createWebhookService, deriveWebhookSecretKey } from "@cartwheel/webhooks";
import { createAuthService } from "@cartwheel/auth";
import { createCommerceServices } from "@cartwheel/commerce";
import { testPii } from "@cartwheel/pii/testing";
import { createDatabase, type Database } from "@cartwheel/db";
import { createThrowawayDatabaseUrl, testBackends } from "@cartwheel/db/testing";
import { createPgBossEngine, createTableEngine, defineJob, type JobEngine, JobRegistry } from "@cartwheel/jobs";
import { createLogger } from "@cartwheel/observability";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Actor, Services } from "../src/context.ts";
import { appRouter } from "../src/root.ts";
import { createTestContext } from "../src/testing/context.ts";
import { createCallerFactory } from "../src/trpc.ts";

const createCaller = createCallerFactory(appRouter);
const backends = testBackends().includes("postgres") ? ["sqlite", "postgres"] : ["sqlite"];
const now = () => new Date();
/** Every log line the routers write, at debug level, to check that no payload reaches them. */
const logged: string[] = [];
const logger = createLogger({ level: "debug", destination: { write: (line: string) => logged.push(line) > 0 } });
const actor = (role: Actor["role"]): Actor => ({ kind: "user", id: crypto.randomUUID(), role, sessionId: null });

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition did not hold in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe.each(backends)("jobs router on %s", (backend) => {
  let database: Database;
  let engine: JobEngine;
  let services: Services;
  let drop: (() => Promise<void>) | undefined;
  /** An engine as a WORKER=off instance has it: started, never working, without the job's definition. */
  let openApiOnly: () => JobEngine;
  let broken = true;
  const call = (role: Actor["role"]) => createCaller(createTestContext({ services, actor: actor(role) }));

  beforeAll(async () => {
    const registry = new JobRegistry().add(
      defineJob({
        name: "test.mail_refused",
        schema: z.object({ email: z.string() }),
        // No retries: the first failure is the dead letter.
        retry: { limit: 0 },
        handler: async () => {
          if (broken) throw new Error("550 mailbox unavailable");
        },
      }),
    );
    if (backend === "postgres") {
      const throwaway = await createThrowawayDatabaseUrl();
      drop = throwaway.drop;
      database = await createDatabase(throwaway.url, { migrate: true });
      engine = createPgBossEngine({ connectionString: throwaway.url, label: "test", registry });
      openApiOnly = () =>
        createPgBossEngine({ connectionString: throwaway.url, label: "test", registry: new JobRegistry() });
    } else {
      database = await createDatabase(":memory:");
      engine = createTableEngine(database, { registry, pollMs: 50 });
      openApiOnly = () => createTableEngine(database, { registry: new JobRegistry() });
    }
    await engine.start();
    await engine.work();
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const keys = testPii();
    const auth = createAuthService({ database, now, logger, secret, ...keys });
    const webhooks = createWebhookService({
      database,
      now,
      secretKey: deriveWebhookSecretKey(secret),
      allowPrivate: false,
    });
    services = {
      database,
      now,
      logger,
      auth,
      ...createCommerceServices({ database, now, ...keys }),
      webhooks,
      jobs: engine,
    };
  });

  afterAll(async () => {
    await engine?.stop(5_000);
    await database?.close();
    await drop?.();
  });

  it("lists a dead-lettered job, shows it with its payload, and a retry runs it to completion", async () => {
    const id = await engine.send("test.mail_refused", { email: "ada@example.com" });
    const admin = call("admin");
    const failed = await until(async () => (await admin.jobs.list({ state: "failed" })).items.find((j) => j.id === id));
    expect(failed).toMatchObject({ name: "test.mail_refused", state: "failed", attempts: 1, retryLimit: 0 });
    expect(failed.lastError).toContain("550 mailbox unavailable");

    // Admins see the payload as stored, address included, to judge what failed.
    const shown = await admin.jobs.show({ id: id.toUpperCase() });
    expect(shown).toMatchObject({ id, state: "failed", payload: { email: "ada@example.com" } });
    // ...but the address never reaches a log line, whatever the level.
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.filter((line) => line.includes("ada@example.com"))).toEqual([]);

    broken = false;
    expect(await admin.jobs.retry({ id })).toEqual({ ok: true });
    const completed = await until(async () => {
      const job = await admin.jobs.show({ id });
      return job.state === "completed" ? job : undefined;
    });
    expect(completed.completedAt).toBeInstanceOf(Date);
    expect((await admin.jobs.list({ state: "failed" })).items.map((j) => j.id)).not.toContain(id);

    // A completed job is not in the dead letter any more: redriving it is NOT_FOUND.
    const again = await rejection(admin.jobs.retry({ id }));
    expect(again.code).toBe("NOT_FOUND");
  });

  it("redrives through an engine that does not work (a WORKER=off instance); the worker runs the job", async () => {
    broken = true;
    const id = await engine.send("test.mail_refused", { email: "grace@example.com" });
    const apiOnly = openApiOnly();
    await apiOnly.start();
    try {
      const admin = createCaller(
        createTestContext({ services: { ...services, jobs: apiOnly }, actor: actor("admin") }),
      );
      await until(async () => ((await admin.jobs.show({ id })).state === "failed" ? true : undefined));
      broken = false;
      expect(await admin.jobs.retry({ id })).toEqual({ ok: true });
      await until(async () => ((await admin.jobs.show({ id })).state === "completed" ? true : undefined));
    } finally {
      await apiOnly.stop(5_000);
    }
  });

  it("answers NOT_FOUND for an unknown id and BAD_REQUEST for malformed ids and forged cursors", async () => {
    const admin = call("admin");
    const unknown = crypto.randomUUID();
    expect((await rejection(admin.jobs.show({ id: unknown }))).code).toBe("NOT_FOUND");
    expect((await rejection(admin.jobs.retry({ id: unknown }))).code).toBe("NOT_FOUND");
    expect((await rejection(admin.jobs.show({ id: "not-a-uuid" }))).code).toBe("BAD_REQUEST");
    expect((await rejection(admin.jobs.list({ limit: 101 }))).code).toBe("BAD_REQUEST");
    const forged = [Buffer.from(`99999999999999999:${unknown}`).toString("base64url"), "garbage", "x".repeat(513)];
    for (const cursor of forged) {
      expect((await rejection(admin.jobs.list({ cursor }))).code).toBe("BAD_REQUEST");
    }
  });

  it("pages newest first with an opaque cursor", async () => {
    broken = true;
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) ids.push(await engine.send("test.mail_refused", { email: `p${n}@example.com` }));
    const admin = call("admin");
    await until(async () => {
      const page = await admin.jobs.list({ state: "failed", limit: 100 });
      return ids.every((id) => page.items.some((j) => j.id === id)) ? true : undefined;
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.jobs.list({ state: "failed", limit: 2, cursor });
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(ids));
  });

  it("is for admins only: staff get FORBIDDEN, anonymous callers UNAUTHORIZED", async () => {
    const id = crypto.randomUUID();
    for (const attempt of [
      () => call("staff").jobs.list(),
      () => call("staff").jobs.show({ id }),
      () => call("customer").jobs.retry({ id }),
    ]) {
      expect((await rejection(attempt())).code).toBe("FORBIDDEN");
    }
    const anonymous = createCaller(createTestContext({ services }));
    expect((await rejection(anonymous.jobs.list())).code).toBe("UNAUTHORIZED");
  });

  it("answers SERVICE_UNAVAILABLE where the services have no job queue", async () => {
    const { jobs: _jobs, ...withoutQueue } = services;
    const caller = createCaller(createTestContext({ services: withoutQueue, actor: actor("admin") }));
    expect((await rejection(caller.jobs.list())).code).toBe("SERVICE_UNAVAILABLE");
  });
});
