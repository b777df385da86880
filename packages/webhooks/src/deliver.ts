// One delivery attempt: a signed POST to the pinned address, 10 s at most, no redirects
// (node:http never follows them; a 3xx counts as a failure), and at most 64 KiB of the
// answer read. The outcome carries the status code and latency for the attempt log.
// Each attempt is a `webhook.deliver` span: the endpoint id and attempt when given, the URL's
// host, the status code; never the secret, the signature, the body or the URL's path or query.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { inSpan, type Span, SpanKind, SpanStatusCode } from "@cartwheel/tracing";
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
  /** For the span only: which endpoint, and which attempt (1 for the first). */
  endpointId?: string;
  attempt?: number;
}

export interface DeliveryAttempt {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  /** Why it failed, in words safe to show an admin (no secrets, no response body). */
  error: string | null;
}

/** An attempt's outcome with, on failure, a short machine word for the span's `error.type`. */
type Outcome = DeliveryAttempt & { errorType?: string };

export async function deliverWebhook(request: DeliveryRequest): Promise<DeliveryAttempt> {
  const attributes = {
    ...(request.endpointId === undefined ? {} : { "webhook.endpoint_id": request.endpointId }),
    ...(request.attempt === undefined ? {} : { "webhook.attempt": request.attempt }),
    ...(URL.canParse(request.url) ? { "server.address": new URL(request.url).hostname } : {}),
  };
  return inSpan("webhook.deliver", { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const { errorType, ...attempt } = await attemptDelivery(request);
    if (span) record(span, attempt, errorType);
    return attempt;
  });
}

function record(span: Span, attempt: DeliveryAttempt, errorType: string | undefined) {
  if (attempt.statusCode !== null) span.setAttribute("http.response.status_code", attempt.statusCode);
  if (attempt.ok) return;
  span.setAttribute("error.type", errorType ?? String(attempt.statusCode));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

async function attemptDelivery(request: DeliveryRequest): Promise<Outcome> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let target;
  try {
    target = await resolveWebhookTarget(request.url, request.allowPrivate);
  } catch (error) {
    const refused = error instanceof WebhookUrlRefused;
    const reason = refused ? error.message : "the URL could not be checked";
    const errorType = refused ? "url_refused" : "url_unchecked";
    return { ok: false, statusCode: null, latencyMs: latency(), error: reason, errorType };
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
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<Outcome, "latencyMs">) => {
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
      finish({ ok: false, statusCode: null, error: "timed out", errorType: "timeout" });
      req.destroy();
    }, request.timeoutMs ?? DELIVERY_TIMEOUT_MS);
    req.on("error", (error: NodeJS.ErrnoException) => {
      const code = error.code ?? "error";
      finish({ ok: false, statusCode: null, error: `connection failed (${code})`, errorType: code });
    });
    req.end(request.body);
  });
}
