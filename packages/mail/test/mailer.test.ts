import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createLogger } from "@cartwheel/observability";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMailConfig } from "../src/config.ts";
import { createMailer } from "../src/mailer.ts";
import { orderShipped, passwordReset } from "../src/templates.ts";
import { startSmtpReceiver, type SmtpReceiver } from "../src/testing.ts";

function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return { logger: createLogger({ level: "info", destination: stream }), lines };
}

const recipient = "ada.lovelace@example.test";
const message = passwordReset({ name: "Ada", link: "http://shop.test/reset-password#token=abc.def", validMinutes: 30 });

describe("createMailer over SMTP", () => {
  let receiver: SmtpReceiver;
  beforeAll(async () => {
    receiver = await startSmtpReceiver();
  });
  afterAll(() => receiver.close());

  it("delivers both parts to the SMTP server, with a Message-ID made from the given id", async () => {
    const { logger, lines } = capturedLogger();
    const config = loadMailConfig({ SMTP_URL: receiver.url, MAIL_FROM: "Shop <shop@mail.test>" });
    const mailer = createMailer(config, { logger });
    const sent = await mailer.send({ to: recipient, message, kind: "password_reset", id: "event-1" });
    mailer.close();
    const [mail] = await receiver.waitFor(1);
    expect(mail!.recipients).toEqual([recipient]);
    expect(mail!.parsed.subject).toBe("Choose a new password");
    expect(mail!.parsed.from?.text).toBe('"Shop" <shop@mail.test>');
    expect(mail!.parsed.text).toContain("http://shop.test/reset-password#token=abc.def");
    expect(mail!.parsed.html).toContain('href="http://shop.test/reset-password#token=abc.def"');
    expect(mail!.parsed.messageId).toBe("<event-1.password_reset@mail.test>");
    expect(sent.messageId).toBe("<event-1.password_reset@mail.test>");
    expect(mail!.parsed.headers.get("x-cartwheel-kind")).toBe("password_reset");
    expect(lines.join("")).toContain("mail_sent");
    expect(lines.join("")).not.toContain("ada.lovelace");
  });
});

describe("createMailer without SMTP_URL", () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "cartwheel-mail-"));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it("writes an .eml file, names it in the log, and keeps the address out of the log", async () => {
    const { logger, lines } = capturedLogger();
    const config = loadMailConfig({ NODE_ENV: "development", MAIL_DROP_DIRECTORY: directory });
    const mailer = createMailer(config, { logger });
    const shipped = orderShipped({ name: "Ada", orderId: "o-1", carrier: "<b>Post</b>", link: "http://shop.test/" });
    const sent = await mailer.send({ to: recipient, message: shipped, kind: "order_shipped", id: "../../evil" });
    expect(await readdir(directory)).toEqual(["______evil-order_shipped.eml"]);
    expect(sent.file).toBe(join(directory, "______evil-order_shipped.eml"));
    const parsed = await simpleParser(await readFile(sent.file!));
    expect(parsed.subject).toBe("Your order is on its way");
    expect(parsed.to && "text" in parsed.to ? parsed.to.text : "").toBe(recipient);
    expect(parsed.html).toContain("Carrier: &lt;b&gt;Post&lt;/b&gt;");
    const log = lines.join("");
    expect(log).toContain(sent.file!);
    expect(log).not.toContain("ada.lovelace");
  });

  it("refuses to start in production without SMTP_URL", () => {
    expect(() => loadMailConfig({ NODE_ENV: "production" })).toThrow(/SMTP_URL/);
  });

  it("refuses an SMTP_URL that is not smtp:// or smtps://", () => {
    expect(() => loadMailConfig({ SMTP_URL: "http://mail.test" })).toThrow(/smtp/);
  });
});
