import { isTRPCClientError, type Operation, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { isNetworkError } from "./errors.ts";
import type { CartwheelRouter } from "./router.ts";
import type { TokenSession } from "./session.ts";
import { tokensFromAuthResult } from "./tokens.ts";

/** Procedures that establish a session themselves: never sent a bearer token, never refreshed for. */
const SESSION_ISSUERS = new Set(["auth.login", "auth.refresh"]);

export interface CallContext extends Record<string, unknown> {
  requestId?: string;
  /** W3C trace context sent as `traceparent`; a caller with tracing of its own passes its span's. */
  traceparent?: string;
  accessToken?: string | null;
}

const hexOf = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

/** A new sampled trace whose root is this call: `00-<trace id>-<span id>-01`. */
export function newTraceparent(): string {
  const random = globalThis.crypto.getRandomValues(new Uint8Array(24));
  return `00-${hexOf(random.subarray(0, 16))}-${hexOf(random.subarray(16))}-01`;
}

/**
 * Gives every call an `X-Request-Id` and a `traceparent`, both kept across its retries so
 * logs and traces tie attempts together. Whether the server continues the trace or starts
 * its own is its choice (TRUST_TRACE_HEADERS).
 */
export function requestIdLink(traceparent: () => string | undefined = newTraceparent): TRPCLink<CartwheelRouter> {
  return () =>
    ({ op, next }) => {
      const context = op.context as CallContext;
      if (typeof context.requestId === "string" && typeof context.traceparent === "string") return next(op);
      return next({
        ...op,
        context: {
          ...op.context,
          requestId: typeof context.requestId === "string" ? context.requestId : globalThis.crypto.randomUUID(),
          traceparent: typeof context.traceparent === "string" ? context.traceparent : traceparent(),
        },
      });
    };
}

export interface RetryPolicy {
  /** Extra attempts after the first (default 3). */
  readonly retries: number;
  /** Delay before retry n (1-based) is about baseDelayMs × 2^(n-1), capped, with jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Queries are retried on network errors. A mutation is retried only when its input
 * carries an idempotency key, which makes a replay return the original result
 * (orders.place); any other mutation might have been applied before the connection broke.
 */
export function shouldRetry(
  op: Pick<Operation, "type" | "input">,
  error: unknown,
  attempts: number,
  policy: RetryPolicy,
): boolean {
  if (attempts > policy.retries || !isNetworkError(error)) return false;
  if (op.type === "query") return true;
  return op.type === "mutation" && hasIdempotencyKey(op.input);
}

function hasIdempotencyKey(input: unknown): boolean {
  return (
    typeof input === "object" &&
    input !== null &&
    typeof (input as { idempotencyKey?: unknown }).idempotencyKey === "string"
  );
}

export function retryDelayMs(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * Attaches the access token, renews it before expiry, and on an UNAUTHORIZED answer
 * renews once (shared with concurrent calls) and repeats the call. Repeating is safe even
 * for mutations: the server rejects an unauthenticated call before running it. It also
 * stores tokens that auth.login/register/refresh return, and forgets them on auth.logout.
 */
export function sessionLink(session: TokenSession | null): TRPCLink<CartwheelRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let unsubscribe: (() => void) | null = null;
        let closed = false;

        const send = (accessToken: string | null, isRepeat: boolean) => {
          if (closed) return;
          const subscription = next({ ...op, context: { ...op.context, accessToken } }).subscribe({
            next(envelope) {
              if (session && envelope.result.type === "data") remember(op.path, envelope.result.data, session);
              observer.next(envelope);
            },
            error(error) {
              const canRenew =
                session !== null &&
                accessToken !== null &&
                !isRepeat &&
                !SESSION_ISSUERS.has(op.path) &&
                isTRPCClientError(error) &&
                error.data?.code === "UNAUTHORIZED";
              if (!canRenew) return observer.error(error);
              session.refresh(accessToken).then(
                (tokens) => (tokens ? send(tokens.accessToken, true) : observer.error(error)),
                () => observer.error(error),
              );
            },
            complete() {
              observer.complete();
            },
          });
          unsubscribe = () => subscription.unsubscribe();
        };

        if (!session || SESSION_ISSUERS.has(op.path)) {
          send(null, true);
        } else {
          session.accessTokenForRequest().then(
            (accessToken) => send(accessToken, false),
            // A failed pre-emptive renewal: let the server decide on the old token.
            () => send(session.tokens?.accessToken ?? null, false),
          );
        }
        return () => {
          closed = true;
          unsubscribe?.();
        };
      });
}

function remember(path: string, data: unknown, session: TokenSession) {
  if (path === "auth.logout") return session.set(null);
  if (!SESSION_ISSUERS.has(path)) return;
  const tokens = tokensFromAuthResult(data);
  if (tokens) session.set(tokens);
}
