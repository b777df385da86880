// Tracing end to end: the real server, listening, exporting over OTLP/HTTP to a receiver in
// the test, on SQLite (http/json) and PostgreSQL (http/protobuf), with Redis for rate limits,
// and the inline worker mailing through an SMTP server in the test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCartwheelClient } from "@cartwheel/client";
import { createDatabase, seedCatalogIfEmpty } from "@cartwheel/db";
import { startSmtpReceiver, type SmtpReceiver } from "@cartwheel/mail/testing";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "@cartwheel/tracing/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { type RunningServer, startServer } from "../src/server.ts";
import { captureLogs } from "./support/app.ts";
import { postgresForTest, type TestPostgres } from "./support/services.ts";
import { allAttributeValues, callerContext, descendants, inTrace } from "./tracing/trace-checks.ts";

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl && process.env.CI === "true") throw new Error("TEST_REDIS_URL is required under CI");

const unique = () => crypto.randomUUID().slice(0, 8);
const dataOf = async <T>(response: Response) => ((await response.json()) as { result: { data: T } }).result.data;

describe.each([
  { dialect: "sqlite", protocol: "http/json" },
  { dialect: "postgres", protocol: "http/protobuf" },
] as const)("tracing on $dialect, exported as $protocol", ({ dialect, protocol }) => {
  let receiver: OtlpReceiver;
  let smtp: SmtpReceiver;
  let server: RunningServer;
  let postgres: TestPostgres | undefined;
  let dir = "";
  const logs = captureLogs("info");
  const account = {
    email: `tracer-${unique()}@example.com`,
    password: "Lanterns over the quiet harbour",
    name: "Tracy",
  };
  let accessToken = "";
  let refreshToken = "";
  let productId = "";
  /** The order placement's caller context, idempotency key and order id, for its job's test. */
  let placement = { traceId: "", idempotencyKey: "", orderId: "" };
  // SQLite inserts the order and its lines; PostgreSQL places it in one call (postgres-placement.ts).
  const placesTheOrder = dialect === "postgres" ? /from place_order\(/ : /insert into "orders"/i;

  const post = (path: string, input: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(input),
    });
  const spansOf = async (traceId: string, until: (spans: ReceivedSpan[]) => boolean) => {
    await server.tracing!.flush();
    return inTrace(await receiver.waitFor((spans) => until(inTrace(spans, traceId))), traceId);
  };

  /** Attribute values of every span so far holding a password, address, token or parameter. */
  const leaks = (...more: string[]) => {
    const secrets = [account.password, account.email, accessToken, refreshToken, productId, ...more];
    return allAttributeValues(receiver.spans).filter(({ value }) => secrets.some((secret) => value.includes(secret)));
  };

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    smtp = await startSmtpReceiver();
    dir = mkdtempSync(join(tmpdir(), "cartwheel-tracing-"));
    let databaseUrl = `file:${join(dir, "shop.db")}`;
    if (dialect === "postgres") {
      postgres = await postgresForTest();
      databaseUrl = postgres.url;
      const database = await createDatabase(databaseUrl, { migrate: true });
      await seedCatalogIfEmpty(database, { now: () => new Date() });
      await database.close();
    }
    const config = loadConfig({
      NODE_ENV: "test",
      PORT: "0",
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: "tracing-test-secret-".padEnd(48, "x"),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_SERVICE_NAME: "cartwheel-under-test",
      TRUST_TRACE_HEADERS: "1",
    });
    // The worker reads its mail settings from the environment when it starts.
    process.env.SMTP_URL = smtp.url;
    try {
      server = await startServer({ config, logger: logs.logger });
    } finally {
      delete process.env.SMTP_URL;
    }
  }, 60_000);

  afterAll(async () => {
    await server?.shutdown("test over");
    await receiver?.close();
    await smtp?.close();
    await postgres?.release();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("signs up and in with spans for the procedure and for argon2", async () => {
    const registered = await post("auth.register", { ...account, transport: "token" });
    expect(registered.status).toBe(200);
    const caller = callerContext();
    const login = await post(
      "auth.login",
      { email: account.email, password: account.password, transport: "token" },
      {
        traceparent: caller.traceparent,
      },
    );
    expect(login.status).toBe(200);
    ({ accessToken, refreshToken } = await dataOf<{ accessToken: string; refreshToken: string }>(login));
    expect(login.headers.get("x-trace-id")).toBe(caller.traceId);

    const spans = await spansOf(caller.traceId, (found) => found.some((span) => span.name === "argon2.verify"));
    const procedure = spans.find((span) => span.name === "trpc auth.login")!;
    expect(procedure.attributes).toMatchObject({
      "rpc.method": "auth.login",
      "trpc.type": "mutation",
      "trpc.outcome": "ok",
    });
    const argon2 = spans.find((span) => span.name === "argon2.verify")!;
    expect(descendants(spans, procedure)).toContain(argon2);
    expect(argon2.attributes["argon2.queue_wait_ms"]).toBeTypeOf("number");
    expect(spans[0]!.resource["service.name"]).toBe("cartwheel-under-test");
    const contentType = protocol === "http/json" ? "application/json" : "application/x-protobuf";
    expect(new Set(receiver.contentTypes)).toEqual(new Set([contentType]));
  });

  it("traces an order placement from the caller's traceparent: HTTP → procedure → its statements", async () => {
    const catalog = await dataOf<{ items: { id: string }[] }>(
      await fetch(`${server.url}/trpc/catalog.list?input=${encodeURIComponent('{"limit":5}')}`),
    );
    productId = catalog.items[0]!.id;
    const caller = callerContext();
    const idempotencyKey = crypto.randomUUID();
    const placed = await post(
      "orders.place",
      { items: [{ productId, quantity: 1 }], idempotencyKey },
      { authorization: `Bearer ${accessToken}`, traceparent: caller.traceparent, tracestate: "vendor=abc" },
    );
    expect(placed.status).toBe(200);
    expect(placed.headers.get("x-trace-id")).toBe(caller.traceId);
    placement = { traceId: caller.traceId, idempotencyKey, orderId: (await dataOf<{ id: string }>(placed)).id };

    const spans = await spansOf(caller.traceId, (found) => found.some((span) => span.name === "trpc orders.place"));
    // One trace, rooted at the HTTP span whose parent is the caller's span.
    const http = spans.filter((span) => span.kind === 2);
    expect(http).toHaveLength(1);
    expect(http[0]).toMatchObject({ name: "POST /trpc", parentSpanId: caller.spanId });
    expect(http[0]!.attributes).toMatchObject({ "http.response.status_code": 200, "url.path": "/trpc/orders.place" });
    const procedure = spans.find((span) => span.name === "trpc orders.place")!;
    expect(procedure.parentSpanId).toBe(http[0]!.spanId);
    expect(procedure.attributes).toMatchObject({ "rpc.system": "trpc", "trpc.type": "mutation", "trpc.outcome": "ok" });

    const statements = descendants(spans, procedure).filter(
      (span) => span.attributes["db.system.name"] === (dialect === "postgres" ? "postgresql" : "sqlite"),
    );
    const texts = statements.map((span) => String(span.attributes["db.query.text"]));
    expect(texts.some((sql) => placesTheOrder.test(sql))).toBe(true);
    expect(
      statements.every((span) => span.kind === 3 && typeof span.attributes["db.operation.name"] === "string"),
    ).toBe(true);
    // Every span of the request is in this one trace, under the HTTP span.
    expect(descendants(spans, http[0]!).length).toBe(spans.length - 1);
    // Rate limits run on Redis when there is one (always under CI).
    expect(spans.some((span) => span.attributes["db.system.name"] === "redis")).toBe(redisUrl !== undefined);

    // The request's log lines carry the trace next to the request id.
    const access = logs.lines().find((line) => line.msg === "request" && line.trace_id === caller.traceId);
    expect(access).toMatchObject({ span_id: http[0]!.spanId, requestId: expect.any(String) });

    // Nothing secret or personal in any attribute of any span so far: login, register, order.
    expect(leaks(idempotencyKey)).toEqual([]);
    expect(allAttributeValues(receiver.spans).length).toBeGreaterThan(20);
  });

  it("sends the order's confirmation in a `job mail.order.created` span linked to the request", async () => {
    const { traceId, idempotencyKey, orderId } = placement;
    await smtp.waitForMail((mail) => (mail.parsed.text ?? "").includes(orderId));
    const isJob = (span: ReceivedSpan) =>
      span.name === "job mail.order.created" && span.links.some((link) => link.traceId === traceId);
    // The job's span ends after the mail went out: flush until it is exported.
    const exported = (spans: ReceivedSpan[]) => {
      const job = spans.find(isJob);
      return job !== undefined && spans.some((span) => span.name === "mail.send" && span.parentSpanId === job.spanId);
    };
    for (let tries = 0; !exported(receiver.spans) && tries < 100; tries++) {
      await server.tracing!.flush();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const all = receiver.spans;
    // A trace of its own (the request's ended with the request), linked to a span of the request.
    const job = all.find(isJob)!;
    expect(job.traceId).not.toBe(traceId);
    expect(job.parentSpanId).toBeUndefined();
    const [link] = job.links;
    expect(inTrace(all, traceId).map((span) => span.spanId)).toContain(link!.spanId);
    expect(job.kind).toBe(5); // CONSUMER
    expect(job.attributes).toMatchObject({
      "job.name": "mail.order.created",
      "job.attempt": 1,
      "job.outcome": "completed",
    });

    // Under the job: the statements reading the order, then the SMTP send.
    const under = descendants(all, job);
    const send = under.find((span) => span.name === "mail.send")!;
    expect(send.attributes).toMatchObject({ "mail.kind": "order_confirmation", "mail.transport": "smtp" });
    expect(under.some((span) => span.attributes["db.system.name"] !== undefined)).toBe(true);
    expect(leaks(idempotencyKey, orderId)).toEqual([]);
  }, 30_000);

  it("a batch of three calls gives three procedure spans under one HTTP span", async () => {
    const caller = callerContext();
    const input = encodeURIComponent(JSON.stringify({ 0: { limit: 2 }, 1: { limit: 3 } }));
    const batch = await fetch(`${server.url}/trpc/catalog.list,catalog.list,auth.me?batch=1&input=${input}`, {
      headers: { authorization: `Bearer ${accessToken}`, traceparent: caller.traceparent },
    });
    expect(batch.status).toBe(200);
    const spans = await spansOf(
      caller.traceId,
      (found) => found.filter((span) => span.name.startsWith("trpc ")).length >= 3,
    );
    const http = spans.filter((span) => span.kind === 2);
    expect(http).toHaveLength(1);
    const procedures = spans.filter((span) => span.name.startsWith("trpc "));
    expect(procedures.map((span) => span.name).toSorted()).toEqual([
      "trpc auth.me",
      "trpc catalog.list",
      "trpc catalog.list",
    ]);
    expect(procedures.every((span) => span.parentSpanId === http[0]!.spanId)).toBe(true);
  });

  it("@cartwheel/client sends a traceparent per call, which the server continues", async () => {
    const sent: string[] = [];
    const answered: string[] = [];
    const client = createCartwheelClient({
      url: server.url,
      tokens: { accessToken },
      fetch: async (url, init) => {
        sent.push(new Headers(init?.headers).get("traceparent") ?? "");
        const response = await fetch(url, init);
        answered.push(response.headers.get("x-trace-id") ?? "");
        return response;
      },
    });
    const order = await client.orders.place.mutate({
      items: [{ productId, quantity: 1 }],
      idempotencyKey: crypto.randomUUID(),
    });
    expect(order.id).toBeTypeOf("string");
    expect(sent).toHaveLength(1);
    const traceId = sent[0]!.split("-")[1]!;
    expect(sent[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(answered).toEqual([traceId]);
    const spans = await spansOf(traceId, (found) => found.some((span) => span.name === "trpc orders.place"));
    const procedure = spans.find((span) => span.name === "trpc orders.place")!;
    const statements = descendants(spans, procedure).map((span) => String(span.attributes["db.query.text"]));
    expect(statements.some((sql) => placesTheOrder.test(sql))).toBe(true);
  });
});
