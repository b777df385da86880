// A webhook receiver for tests (server, CLI and browser suites): node:http on a loopback port that verifies every delivery with
// the `standardwebhooks` package (as a receiver would) and answers each path as told.
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedWebhook {
  path: string;
  webhookId: string;
  type: string;
  data: Record<string, unknown>;
  /** performance.now() when it arrived (and verified). */
  at: number;
  status: number;
}

export interface WebhookReceiver {
  /** The URL of `path` on this receiver. */
  url(path: string): string;
  /** The secret deliveries to `path` are verified with; set it once the endpoint exists. */
  verifyWith(path: string, secret: string): void;
  /** Status codes to answer on `path`, in turn; the last one repeats (default 204). */
  answer(path: string, ...statuses: number[]): void;
  received: ReceivedWebhook[];
  /** Resolves with the first received webhook `predicate` accepts (now or once it arrives). */
  until(predicate: (got: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  /** Resolves once `predicate` holds for everything received so far (counts, orders). */
  untilReceived(predicate: (received: readonly ReceivedWebhook[]) => boolean, timeoutMs?: number): Promise<void>;
  unverified: number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const verifiers = new Map<string, Webhook>();
  const answers = new Map<string, number[]>();
  const waiting = new Set<() => void>();
  const receiver: WebhookReceiver = {
    url: (path) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    verifyWith: (path, secret) => void verifiers.set(path, new Webhook(secret)),
    answer: (path, ...statuses) => void answers.set(path, statuses),
    received: [],
    unverified: 0,
    async until(predicate, timeoutMs) {
      await receiver.untilReceived((received) => received.some(predicate), timeoutMs);
      return receiver.received.find(predicate)!;
    },
    untilReceived(predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(receiver.received)) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`no such webhook within ${timeoutMs} ms; got ${JSON.stringify(receiver.received)}`));
        }, timeoutMs);
        waiting.add(check);
        check();
      });
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      const body = Buffer.concat(chunks).toString();
      let payload: { type: string; data: Record<string, unknown> };
      try {
        // Throws unless the signature, id and timestamp check out with this path's secret.
        payload = verifiers.get(path)!.verify(body, req.headers as Record<string, string>) as typeof payload;
      } catch {
        receiver.unverified += 1;
        res.writeHead(401).end();
        return;
      }
      const plan = answers.get(path) ?? [];
      const status = plan.length > 1 ? plan.shift()! : (plan[0] ?? 204);
      const webhookId = String(req.headers["webhook-id"]);
      receiver.received.push({
        path,
        webhookId,
        type: payload.type,
        data: payload.data,
        at: performance.now(),
        status,
      });
      res.writeHead(status).end();
      // A check that finds its webhook removes itself; a Set's iteration allows that.
      for (const check of waiting) check();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return receiver;
}
