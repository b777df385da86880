// One delivery attempt: a signed POST to the pinned address, 10 s at most, no redirects
// (node:http never follows them; a 3xx counts as a failure), and at most 64 KiB of the
// answer read. The outcome carries the status code and latency for the attempt log.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { resolveWebhookTarget, WebhookUrlRefused } from "./address-guard.ts";
import { signWebhook } from "./signing.ts";

export const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface DeliveryRequest {
  url: string;
  secret: string;
  /** The webhook-id: stable across retries, so receivers can drop duplicates. */
  messageId: string;
  body: string;
  now: () => Date;
  allowPrivate: boolean;
  timeoutMs?: number;
}

export interface DeliveryAttempt {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  /** Why it failed, in words safe to show an admin (no secrets, no response body). */
  error: string | null;
}

export async function deliverWebhook(request: DeliveryRequest): Promise<DeliveryAttempt> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let target;
  try {
    target = await resolveWebhookTarget(request.url, request.allowPrivate);
  } catch (error) {
    const reason = error instanceof WebhookUrlRefused ? error.message : "the URL could not be checked";
    return { ok: false, statusCode: null, latencyMs: latency(), error: reason };
  }
  const headers = {
    ...signWebhook(request.secret, request.messageId, request.now(), request.body),
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(request.body)),
    "user-agent": "Cartwheel-Webhooks/1",
  };
  // Connect to the checked address only, whatever DNS says now.
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === "https:" ? https : http;
  return new Promise<DeliveryAttempt>((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<DeliveryAttempt, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, latencyMs: latency() });
    };
    const req = client.request(target.url, { method: "POST", headers, lookup: pinned, agent: false }, (res) => {
      const statusCode = res.statusCode ?? null;
      let read = 0;
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) res.destroy();
      });
      const done = () => {
        const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
        finish({ ok, statusCode, error: ok ? null : `the receiver answered ${statusCode}` });
      };
      res.on("end", done);
      res.on("close", done);
    });
    const timer = setTimeout(() => {
      finish({ ok: false, statusCode: null, error: "timed out" });
      req.destroy();
    }, request.timeoutMs ?? DELIVERY_TIMEOUT_MS);
    req.on("error", (error: NodeJS.ErrnoException) =>
      finish({ ok: false, statusCode: null, error: `connection failed (${error.code ?? "error"})` }),
    );
    req.end(request.body);
  });
}
