import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../hono-env.ts";

export interface DrainBodyOptions {
  /** Bodies declared or found larger than this are not waited for. */
  maxBytes: number;
  /** Longest wait for the rest of a body; a slower sender is not waited for. */
  maxMs?: number;
}

/**
 * Reads and discards a request body the answer did not need (a 405, a 401 before tRPC read
 * the input, a 413 from Content-Length) before the answer goes out.
 *
 * Node closes a `Connection: close` socket right after the answer. Body bytes still arriving
 * then make the kernel reset the connection, and the reset often destroys the answer before
 * the client reads it: the caller sees ECONNRESET instead of a clear 4xx. A body past
 * `maxBytes`, or slower than `maxMs`, is not waited for; its answer says `Connection: close`.
 * In-process requests (app.request) have no body stream here and pass untouched.
 */
export function drainUnreadBody({ maxBytes, maxMs = 5000 }: DrainBodyOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const incoming = (c.env as AppEnv["Bindings"] | undefined)?.incoming;
    if (!(incoming instanceof Readable) || incoming.readableEnded || c.req.method === "GET" || c.req.method === "HEAD")
      return;
    const declared = Number.parseInt(c.req.header("content-length") ?? "", 10);
    // A body something started reading (tRPC, over its budget) is the reader's to finish.
    const untouched = incoming.readableFlowing === null;
    const drained = untouched && !(declared > maxBytes) && (await discard(incoming, maxBytes, maxMs));
    if (!drained) c.res.headers.set("Connection", "close");
  };
}

function discard(incoming: IncomingMessage, maxBytes: number, maxMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let bytes = 0;
    const finish = (drained: boolean) => {
      clearTimeout(timer);
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      if (!drained) incoming.pause();
      resolve(drained);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onError = () => finish(false);
    const timer = setTimeout(() => finish(false), maxMs);
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.resume();
  });
}
