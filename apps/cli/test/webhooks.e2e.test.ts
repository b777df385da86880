// `cartwheel webhooks` as a subprocess against the built server on SQLite: create prints the
// secret alone on stdout, a placed order reaches a receiver that verifies it with that secret,
// `deliveries` shows the attempts, `rotate-secret` and `redeliver` sign the next attempt with
// the new secret and the same webhook-id. Usage errors never reach the server.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCartwheelClient } from "@cartwheel/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerCustomer } from "../../server/test/support/live-orders.ts";
import { startWebhookReceiver, type WebhookReceiver } from "@cartwheel/webhooks/testing";
import { cartwheel, ensureBuilt, type RunningServer, startServer } from "./harness.ts";

const ADMIN_EMAIL = "hooks-admin@example.test";
const PASSWORD = "correct horse battery staple 42";

let dir = "";
let server: RunningServer;
let receiver: WebhookReceiver;
let env: Record<string, string> = {};

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cartwheel-webhooks-e2e-"));
  const databaseUrl = `file:${join(dir, "cartwheel.db")}`;
  env = { XDG_CONFIG_HOME: join(dir, "config") };
  const created = await cartwheel(
    ["users", "create", "--email", ADMIN_EMAIL, "--role", "admin", "--password-stdin", "--database-url", databaseUrl],
    { env, input: `${PASSWORD}\n` },
  );
  if (created.code !== 0) throw new Error(`users create failed: ${created.stderr}`);
  receiver = await startWebhookReceiver();
  server = await startServer(
    { DATABASE_URL: databaseUrl, AUTH_SECRET: "webhooks-cli-e2e-secret".padEnd(48, "x"), WEBHOOK_ALLOW_PRIVATE: "1" },
    dir,
  );
  env = { ...env, CARTWHEEL_URL: server.url };
  const login = await cartwheel(["login", "--email", ADMIN_EMAIL, "--password-stdin"], { env, input: `${PASSWORD}\n` });
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => cartwheel(args, { env });

describe("cartwheel webhooks", () => {
  it("creates an endpoint, delivers a verified order.created, lists deliveries, rotates and redelivers", async () => {
    const created = await run("webhooks", "create", "--url", receiver.url("/cli"), "--events", "order.created");
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(created.stderr).toContain("shown once");
    receiver.verifyWith("/cli", secret);

    const listed = await run("webhooks", "list", "--json");
    const [endpoint] = JSON.parse(listed.stdout) as { id: string; url: string }[];
    expect(endpoint!.url).toBe(receiver.url("/cli"));
    expect(listed.stdout).not.toContain(secret);

    const customer = await registerCustomer(server.url);
    const shopper = createCartwheelClient({ url: server.url, tokens: customer.tokens });
    const [product] = (await shopper.catalog.list.query({ limit: 1 })).items;
    const order = await shopper.orders.place.mutate({
      items: [{ productId: product!.id, quantity: 1 }],
      idempotencyKey: randomUUID(),
    });
    const first = await receiver.until((got) => got.data.orderId === order.id);
    expect(first.type).toBe("order.created");

    // The table shows the attempt's status code and latency once the job has logged it.
    let table = "";
    for (let tries = 0; tries < 50 && !/delivered/.test(table); tries += 1) {
      table = (await run("webhooks", "deliveries", endpoint!.id)).stdout;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(table).toMatch(/order\.created\s+delivered\s+1\s+204\/\d+ms/);
    const [delivery] = JSON.parse((await run("webhooks", "deliveries", endpoint!.id, "--json")).stdout) as {
      id: string;
    }[];

    const rotated = await run("webhooks", "rotate-secret", endpoint!.id);
    expect(rotated.code).toBe(0);
    const newSecret = rotated.stdout.trim();
    expect(newSecret).not.toBe(secret);
    receiver.verifyWith("/cli", newSecret);
    const redelivered = await run("webhooks", "redeliver", delivery!.id);
    expect(redelivered.code).toBe(0);
    await receiver.until((got) => got.data.orderId === order.id && got !== first);
    const again = receiver.received.filter((got) => got.data.orderId === order.id);
    expect(again.map((got) => got.webhookId)).toEqual([first.webhookId, first.webhookId]);
    expect(receiver.unverified).toBe(0);

    const disabled = await run("webhooks", "update", endpoint!.id, "--disable", "--json");
    expect(JSON.parse(disabled.stdout)).toMatchObject({ id: endpoint!.id, enabled: false });
    const both = await run("webhooks", "update", endpoint!.id, "--enable", "--disable");
    expect(both.code).toBe(2);
  }, 60_000);

  it("refuses an unknown event type and an out-of-range --limit as usage errors", async () => {
    const badEvent = await run("webhooks", "create", "--url", receiver.url("/x"), "--events", "order.shipped");
    expect(badEvent.code).not.toBe(0);
    expect(badEvent.stderr).toContain("--events must be one of");
    const badLimit = await run("webhooks", "deliveries", randomUUID(), "--limit", "1000");
    expect(badLimit.code).not.toBe(0);
    expect(badLimit.stderr).toContain("--limit must be at most 100");
  });
});
