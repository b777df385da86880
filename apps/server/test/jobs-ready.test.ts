// With the worker inline (the default), /ready also checks the job engine's database, and
// WORKER=off leaves the check out. Real server, plain HTTP.
import { createLogger } from "@cartwheel/observability";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { startServer } from "../src/server.ts";

const logger = createLogger({ level: "error" });
const env = { NODE_ENV: "test", DATABASE_URL: ":memory:", PORT: "0", AUTH_SECRET: "test-secret-".padEnd(40, "x") };

describe("/ready and the job queue", () => {
  it.each([
    ["inline", { database: "ok", queue: "ok" }],
    ["off", { database: "ok" }],
  ])("WORKER=%s reports %o", async (worker, checks) => {
    const running = await startServer({ config: loadConfig({ ...env, WORKER: worker }), logger });
    try {
      const response = await fetch(`${running.url}/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "ready", checks });
    } finally {
      await running.shutdown("test");
    }
  });
});

describe("/metrics and the job queue", () => {
  it("exposes queue depth and oldest age per job name", async () => {
    const running = await startServer({ config: loadConfig({ ...env, NODE_ENV: "development" }), logger });
    try {
      let text = "";
      for (let tries = 0; tries < 200 && !text.includes("cartwheel_job_queue_depth{"); tries += 1) {
        text = await (await fetch(`${running.url}/metrics`)).text();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(text).toMatch(/cartwheel_job_queue_depth\{job="credentials.purge",state="failed"\} 0/);
      expect(text).toMatch(/cartwheel_job_oldest_queued_age_seconds\{job="orders.expire_unpaid"\} /);
    } finally {
      await running.shutdown("test");
    }
  });
});
