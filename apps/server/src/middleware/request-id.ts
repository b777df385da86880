import { randomUUID } from "node:crypto";
import type { Logger } from "@cartwheel/observability";
import { currentSpanIds } from "@cartwheel/tracing";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../hono-env.ts";
import { setResponseHeaders } from "../fast-path/index.ts";

const REQUEST_ID_HEADER = "X-Request-Id";

/** Printable, bounded ids only: a client-chosen id lands in every log line, so no injection. */
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

/**
 * Correlation id: a well-formed incoming X-Request-Id is kept (so a proxy's or client's id
 * follows the request), anything else is replaced. It is echoed on the response and bound
 * into the request logger, so every log line carries it, with the request span's trace_id
 * and span_id while tracing is on (traceRequests runs first): one child logger per request,
 * since a second pino child is a measurable share of a cached catalog answer.
 */
export function requestId(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const id = incoming && WELL_FORMED.test(incoming) ? incoming : randomUUID();
    c.set("requestId", id);
    c.set("logger", logger.child({ requestId: id, ...currentSpanIds() }));
    c.set("actor", null);
    await next();
    // After next(): handlers such as tRPC return fresh Responses that drop earlier headers.
    setResponseHeaders(c, [[REQUEST_ID_HEADER, id]]);
  };
}
