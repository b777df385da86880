// Delivery latency on an idle receiver: from the deliverWebhook call to the receiver having
// the verified request, over 200 deliveries. Run: node packages/webhooks/scripts/delivery-latency.ts
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { deliverWebhook, generateWebhookSecret } from "../src/index.ts";

const DELIVERIES = 200;
const secret = generateWebhookSecret();
const verifier = new Webhook(secret);
let received: ((at: number) => void) | undefined;
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    verifier.verify(Buffer.concat(chunks).toString(), req.headers as Record<string, string>);
    received?.(performance.now());
    res.writeHead(204).end();
  });
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

const samples: number[] = [];
for (let i = 0; i < DELIVERIES; i += 1) {
  const arrival = new Promise<number>((resolve) => (received = resolve));
  const started = performance.now();
  const body = JSON.stringify({ type: "order.created", data: { orderId: String(i) } });
  const attempt = await deliverWebhook({
    url,
    secret,
    messageId: `msg_${i}`,
    body,
    now: () => new Date(),
    allowPrivate: true,
  });
  if (!attempt.ok) throw new Error(`delivery ${i} failed: ${attempt.error}`);
  samples.push((await arrival) - started);
}
server.close();
samples.sort((a, b) => a - b);
const pick = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]!.toFixed(2);
console.log(`webhook delivery (call → verified receipt), n=${DELIVERIES}: p50 ${pick(0.5)} ms, p99 ${pick(0.99)} ms`);
