// A real SMTP server for tests (smtp-server), listening on a free loopback port. Tests point
// SMTP_URL at it, send through the real mailer, and read what arrived, parsed by mailparser.
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  /** The envelope recipients, as the client sent RCPT TO. */
  recipients: string[];
  parsed: ParsedMail;
  /** The raw message as it arrived. */
  raw: string;
}

export interface SmtpReceiver {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  readonly received: readonly ReceivedMail[];
  /** Resolves once `count` messages in all have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<readonly ReceivedMail[]>;
  /** Resolves with the first message `matches` accepts, once it has arrived (or rejects after `timeoutMs`). */
  waitForMail(matches: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Forgets what arrived so far (between tests sharing one receiver). */
  clear(): void;
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw)
          .then((parsed) => {
            received.push({ recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address), parsed, raw });
            for (const wake of waiters) wake();
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as { port: number };

  /** Resolves with what `found` returns once it returns something, checked on every arrival. */
  function until<T>(found: () => T | undefined, timeoutMs: number, failure: () => string): Promise<T> {
    const now = found();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(failure()));
      }, timeoutMs);
      function check() {
        const value = found();
        if (value === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(value);
      }
      waiters.add(check);
    });
  }

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitFor: (count, timeoutMs = 10_000) =>
      until(
        () => (received.length >= count ? received : undefined),
        timeoutMs,
        () => `expected ${count} messages, ${received.length} arrived`,
      ),
    waitForMail: (matches, timeoutMs = 10_000) =>
      until(
        () => received.find(matches),
        timeoutMs,
        () => `no matching message among the ${received.length} that arrived`,
      ),
    clear: () => {
      received.length = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
