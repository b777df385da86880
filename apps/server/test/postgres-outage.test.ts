import { createDatabase } from "@cartwheel/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, query, type TestApp } from "./support/app.ts";
import { canControlPostgres, type ControlledServer, postgresServer } from "./support/services.ts";

describe.skipIf(!canControlPostgres)("PostgreSQL outage", () => {
  let server: ControlledServer;
  let t: TestApp;

  beforeAll(async () => {
    server = await postgresServer();
    const migrator = await createDatabase(server.url, { migrate: true });
    await migrator.close();
    t = await createTestApp({ env: { DATABASE_URL: server.url } });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await server?.destroy();
  });

  const callDb = async () => {
    const started = performance.now();
    const res = await t.request(query("probe.db"));
    return { res, ms: performance.now() - started };
  };

  it("answers SERVICE_UNAVAILABLE within 2 s while the database is down, and recovers without a restart", async () => {
    expect((await callDb()).res.status).toBe(200);

    await server.stop();
    for (let attempt = 0; attempt < 3; attempt++) {
      const { res, ms } = await callDb();
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { message: string; data: { code: string; requestId: string } } };
      expect(body.error.data.code).toBe("SERVICE_UNAVAILABLE");
      expect(body.error.data.requestId).toBe(res.headers.get("x-request-id"));
      expect(body.error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
      expect(ms).toBeLessThan(2000);
    }
    const ready = await t.request("/ready");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ failed: ["database"] });
    expect(t.logs.lines().some((line) => line.msg === "procedure unavailable" && line.level === "warn")).toBe(true);

    await server.start();
    expect((await callDb()).res.status).toBe(200);
    expect((await t.request("/ready")).status).toBe(200);
  }, 60_000);
});
