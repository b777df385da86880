// A loopback webhook receiver for the browser tests: node:http, verifying every delivery with
// the `standardwebhooks` package as a real receiver would, with the secret the page showed.
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedWebhook {
  webhookId: string;
  type: string;
  data: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  /** Deliveries are verified with this secret from now on (none set: every one is refused). */
  verifyWith(secret: string): void;
  /** Verified deliveries, in arrival order. */
  received: ReceivedWebhook[];
  /** Deliveries whose signature did not check out (answered 401). */
  unverified: number;
  /** Polls until `predicate` holds for some received webhook. */
  until(predicate: (got: ReceivedWebhook[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let verifier: Webhook | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        if (!verifier) throw new Error("no secret yet");
        // Throws unless signature, webhook-id and timestamp check out.
        const payload = verifier.verify(Buffer.concat(chunks).toString(), req.headers as Record<string, string>) as {
          type: string;
          data: Record<string, unknown>;
        };
        receiver.received.push({ webhookId: String(req.headers["webhook-id"]), ...payload });
        res.writeHead(204).end();
      } catch {
        receiver.unverified += 1;
        res.writeHead(401).end();
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    verifyWith: (secret) => void (verifier = new Webhook(secret)),
    received: [],
    unverified: 0,
    async until(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(receiver.received)) {
        if (Date.now() > deadline) throw new Error(`webhook not received; got ${JSON.stringify(receiver.received)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
  return receiver;
}
