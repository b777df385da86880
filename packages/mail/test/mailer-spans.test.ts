// A send is a `mail.send` span under whatever sends it (a job), with the message's kind and
// Message-ID and never an address, a subject or a link; a failed send records the code.
import { once } from "node:events";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { createLogger } from "@cartwheel/observability";
import { inSpan, startTracing, type TracingHandle } from "@cartwheel/tracing";
import { type OtlpReceiver, startOtlpReceiver } from "@cartwheel/tracing/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMailConfig } from "../src/config.ts";
import { createMailer } from "../src/mailer.ts";
import { passwordReset } from "../src/templates.ts";
import { startSmtpReceiver, type SmtpReceiver } from "../src/testing.ts";

const recipient = "grace.hopper@example.test";
const link = "http://shop.test/reset-password#token=secret.token";
const message = passwordReset({ name: "Grace", link, validMinutes: 30 });
const logger = createLogger({ level: "error" });
const CLIENT = 3;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

describe("mail.send spans", () => {
  let otlp: OtlpReceiver;
  let tracing: TracingHandle;
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    smtp = await startSmtpReceiver();
    tracing = await startTracing({
      url: `${otlp.url}/v1/traces`,
      protocol: "http/json",
      serviceName: "mail-test",
      sampler: "always_on",
      ratio: 1,
    });
  });
  afterAll(async () => {
    await tracing?.shutdown();
    await otlp?.close();
    await smtp?.close();
  });

  it("wraps an SMTP send under the active span, with kind and Message-ID only", async () => {
    const mailer = createMailer(loadMailConfig({ SMTP_URL: smtp.url, MAIL_FROM: "Shop <shop@mail.test>" }), {
      logger,
    });
    await inSpan("job test", {}, () => mailer.send({ to: recipient, message, kind: "password_reset", id: "event-7" }));
    mailer.close();
    await tracing.flush();
    const spans = await otlp.waitFor((all) => all.some((span) => span.name === "mail.send"));
    const send = spans.find((span) => span.name === "mail.send")!;
    const job = spans.find((span) => span.name === "job test")!;
    expect(send.parentSpanId).toBe(job.spanId);
    expect(send.kind).toBe(CLIENT);
    expect(send.attributes).toEqual({
      "mail.kind": "password_reset",
      "mail.message_id": "<event-7.password_reset@mail.test>",
      "mail.transport": "smtp",
    });
    expect(send.statusCode).toBe(0);
    const everything = JSON.stringify(spans);
    for (const secret of [recipient, "grace.hopper", "secret.token", message.subject]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("marks a send the server never took as failed, with nodemailer's code", async () => {
    const port = await closedPort();
    const mailer = createMailer(loadMailConfig({ SMTP_URL: `smtp://127.0.0.1:${port}` }), { logger });
    await expect(mailer.send({ to: recipient, message, kind: "password_reset", id: "event-8" })).rejects.toMatchObject({
      code: expect.stringMatching(/^E[A-Z]+$/),
    });
    mailer.close();
    await tracing.flush();
    const spans = await otlp.waitFor((all) =>
      all.some((span) => span.attributes["mail.message_id"] === "<event-8.password_reset@localhost>"),
    );
    const failed = spans.find((span) => span.attributes["mail.message_id"] === "<event-8.password_reset@localhost>")!;
    expect(failed.statusCode).toBe(2);
    expect(failed.attributes["error.type"]).toMatch(/^E[A-Z]+$/);
    expect(JSON.stringify(failed)).not.toContain("grace.hopper");
  });
});
