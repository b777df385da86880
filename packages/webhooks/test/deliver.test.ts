import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import {
  deliverWebhook,
  generateWebhookSecret,
  isPublicAddress,
  nextAttemptDelay,
  WEBHOOK_MAX_ATTEMPTS,
} from "../src/index.ts";

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function receiver(handler: Handler): Promise<string> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handler(req, Buffer.concat(chunks).toString(), res));
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://localhost:${(server.address() as AddressInfo).port}/hook`;
}

const request = (url: string, secret: string, extra: { allowPrivate?: boolean; timeoutMs?: number } = {}) => ({
  url,
  secret,
  messageId: "msg_0190d7a23b4c",
  body: JSON.stringify({ type: "order.created", data: { orderId: "x" } }),
  now: () => new Date(),
  allowPrivate: extra.allowPrivate ?? true,
  timeoutMs: extra.timeoutMs,
});

describe("deliverWebhook", () => {
  it("sends a delivery the standardwebhooks verifier accepts", async () => {
    const secret = generateWebhookSecret();
    const verified: unknown[] = [];
    const url = await receiver((req, body, res) => {
      verified.push(new Webhook(secret).verify(body, req.headers as Record<string, string>));
      res.writeHead(204).end();
    });
    const attempt = await deliverWebhook(request(url, secret));
    expect(attempt).toMatchObject({ ok: true, statusCode: 204, error: null });
    expect(verified).toEqual([{ type: "order.created", data: { orderId: "x" } }]);
  });

  it("does not follow a redirect and counts it as a failure", async () => {
    const hits: string[] = [];
    const url = await receiver((req, _body, res) => {
      hits.push(req.url ?? "");
      res.writeHead(302, { location: "/elsewhere" }).end();
    });
    const attempt = await deliverWebhook(request(url, generateWebhookSecret()));
    expect(attempt).toMatchObject({ ok: false, statusCode: 302 });
    expect(hits).toEqual(["/hook"]);
  });

  it("gives up after the timeout", async () => {
    const url = await receiver(() => {}); // never answers
    const attempt = await deliverWebhook(request(url, generateWebhookSecret(), { timeoutMs: 200 }));
    expect(attempt).toMatchObject({ ok: false, statusCode: null, error: "timed out" });
  });

  it("refuses a host resolving to loopback unless private addresses are allowed", async () => {
    let hits = 0;
    const url = await receiver((_req, _body, res) => {
      hits += 1;
      res.writeHead(200).end();
    });
    const attempt = await deliverWebhook(request(url, generateWebhookSecret(), { allowPrivate: false }));
    expect(attempt.ok).toBe(false);
    expect(attempt.error).toMatch(/https|private/);
    const httpsLocal = await deliverWebhook(
      request(url.replace("http:", "https:"), generateWebhookSecret(), { allowPrivate: false }),
    );
    expect(httpsLocal.error).toBe("the URL resolves to a private or reserved address");
    expect(hits).toBe(0);
  });
});

describe("address classes", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
  ])("refuses %s", (address) => expect(isPublicAddress(address)).toBe(false));
  it.each(["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows %s", (address) =>
    expect(isPublicAddress(address)).toBe(true),
  );
});

describe("retry schedule", () => {
  it("backs off over about a day, then stops", () => {
    let total = 0;
    for (let attempt = 1; attempt < WEBHOOK_MAX_ATTEMPTS; attempt += 1) {
      const delay = nextAttemptDelay(attempt)!;
      expect(delay).toBeGreaterThan(0);
      total += delay;
    }
    expect(total / 3_600_000).toBeGreaterThan(20);
    expect(total / 3_600_000).toBeLessThan(30);
    expect(nextAttemptDelay(WEBHOOK_MAX_ATTEMPTS)).toBeNull();
  });
});
