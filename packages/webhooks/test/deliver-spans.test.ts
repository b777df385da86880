// Each delivery attempt is a `webhook.deliver` span: endpoint id, attempt, the URL's host and
// the status code; a failure is an error with a short `error.type`; never the secret, the
// signature, the body, or the URL's path and query.
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { startTracing, type TracingHandle } from "@cartwheel/tracing";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "@cartwheel/tracing/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook, generateWebhookSecret } from "../src/index.ts";

const CLIENT = 3;
const body = JSON.stringify({ type: "order.created", data: { email: "buyer@example.test" } });

const deliver = (url: string, extra: { endpointId?: string; attempt?: number; allowPrivate?: boolean } = {}) => {
  const secret = generateWebhookSecret();
  const delivery = deliverWebhook({
    url,
    secret,
    messageId: `msg_${crypto.randomUUID()}`,
    body,
    now: () => new Date(),
    allowPrivate: extra.allowPrivate ?? true,
    endpointId: extra.endpointId,
    attempt: extra.attempt,
  });
  return { delivery, secret };
};

describe("webhook.deliver spans", () => {
  let otlp: OtlpReceiver;
  let tracing: TracingHandle;
  let server: http.Server;
  let base = "";
  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    tracing = await startTracing({
      url: `${otlp.url}/v1/traces`,
      protocol: "http/json",
      serviceName: "webhooks-test",
      sampler: "always_on",
      ratio: 1,
    });
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(req.url?.startsWith("/broken") ? 500 : 204).end());
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    base = `http://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    await tracing?.shutdown();
    await otlp?.close();
  });

  const spanOf = async (endpointId: string): Promise<ReceivedSpan> => {
    await tracing.flush();
    const spans = await otlp.waitFor((all) =>
      all.some((span) => span.attributes["webhook.endpoint_id"] === endpointId),
    );
    return spans.find((span) => span.attributes["webhook.endpoint_id"] === endpointId)!;
  };

  it("records a delivered attempt with the host only", async () => {
    const endpointId = crypto.randomUUID();
    const { delivery, secret } = deliver(`${base}/hooks/shop?token=query-secret`, { endpointId, attempt: 2 });
    expect((await delivery).ok).toBe(true);
    const span = await spanOf(endpointId);
    expect(span).toMatchObject({ name: "webhook.deliver", kind: CLIENT, statusCode: 0 });
    expect(span.attributes).toEqual({
      "webhook.endpoint_id": endpointId,
      "webhook.attempt": 2,
      "server.address": "localhost",
      "http.response.status_code": 204,
    });
    const everything = JSON.stringify(span);
    for (const secretPart of [secret, "query-secret", "/hooks/shop", "buyer@example.test"]) {
      expect(everything).not.toContain(secretPart);
    }
  });

  it("marks an answer outside 2xx as an error with its status code", async () => {
    const endpointId = crypto.randomUUID();
    expect((await deliver(`${base}/broken`, { endpointId, attempt: 1 }).delivery).ok).toBe(false);
    const span = await spanOf(endpointId);
    expect(span.statusCode).toBe(2);
    expect(span.attributes).toMatchObject({ "http.response.status_code": 500, "error.type": "500" });
  });

  it("marks a refused address as an error without sending", async () => {
    const endpointId = crypto.randomUUID();
    const attempt = await deliver(`${base}/private`, { endpointId, allowPrivate: false }).delivery;
    expect(attempt).toMatchObject({ ok: false, statusCode: null });
    const span = await spanOf(endpointId);
    expect(span.statusCode).toBe(2);
    expect(span.attributes["error.type"]).toBe("url_refused");
    expect(span.attributes["http.response.status_code"]).toBeUndefined();
  });
});
