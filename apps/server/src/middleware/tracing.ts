import {
  inSpan,
  type Link,
  remoteSpanContext,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  tracingEnabled,
} from "@cartwheel/tracing";
import type { MiddlewareHandler } from "hono";
import { setResponseHeaders } from "../fast-path/index.ts";
import type { AppEnv } from "../hono-env.ts";
import { routeGroup } from "./access-log.ts";

const TRACE_ID_HEADER = "X-Trace-Id";

/**
 * One server span per request, named by route (`POST /trpc`, `GET /ready`, `GET other`:
 * never the raw path, which clients control). It is the active span for everything the
 * request does, so procedure, database, Redis and hashing spans nest under it. The trace
 * id goes back in X-Trace-Id; requestId, which runs inside this span, binds trace_id and
 * span_id into the request logger.
 *
 * A caller's W3C traceparent/tracestate is continued only with `trustHeaders`
 * (TRUST_TRACE_HEADERS=1); otherwise the request starts its own trace and a well-formed
 * caller context is kept as a link. Undefined while tracing is off: nothing is registered.
 */
export function traceRequests(trustHeaders: boolean): MiddlewareHandler<AppEnv> | undefined {
  if (!tracingEnabled()) return undefined;
  return (c, next) => {
    const incoming = remoteSpanContext(c.req.header("traceparent"), c.req.header("tracestate"));
    const parent = incoming && trustHeaders ? trace.setSpanContext(ROOT_CONTEXT, incoming) : ROOT_CONTEXT;
    const links: Link[] | undefined =
      incoming && !trustHeaders ? [{ context: incoming, attributes: { "cartwheel.link": "caller" } }] : undefined;
    const { method, path } = c.req;
    const route = routeGroup(path);
    const attributes = {
      "http.request.method": method,
      "http.route": route,
      // The path only: a query string may carry a GET call's input.
      "url.path": route === "other" ? path.slice(0, 256) : path,
      "url.scheme": c.req.url.startsWith("https:") ? "https" : "http",
    };
    return inSpan(
      `${method} ${route}`,
      { kind: SpanKind.SERVER, attributes, links },
      async (span) => {
        const { traceId } = span!.spanContext();
        await next();
        const status = c.res.status;
        span!.setAttribute("http.response.status_code", status);
        if (status >= 500) span!.setStatus({ code: SpanStatusCode.ERROR });
        setResponseHeaders(c, [[TRACE_ID_HEADER, traceId]]);
      },
      parent,
    );
  };
}
