import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../hono-env.ts";
import { setResponseHeaders } from "../fast-path/index.ts";

const NO_STORE: [string, string][] = [["Cache-Control", "no-store"]];
/** Public catalog pages with an ETag (fast-path/catalog-page-cache.ts): kept, but revalidated on every use. */
const REVALIDATE: [string, string][] = [["Cache-Control", "private, no-cache"]];

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

const API_PREFIXES = ["/trpc", "/health", "/ready", "/version", "/metrics"];

/** True for JSON/text API paths; everything else is (or will be) the web app. */
export function isApiPath(path: string): boolean {
  // Runs twice per request: no per-call allocation.
  for (const prefix of API_PREFIXES) {
    if (path.startsWith(prefix) && (path.length === prefix.length || path[prefix.length] === "/")) return true;
  }
  return false;
}

const common = (production: boolean): SecureHeadersOptions => ({
  // HSTS only in production: on http://localhost it would pin the browser to https.
  strictTransportSecurity: production ? "max-age=31536000; includeSubDomains" : false,
  xFrameOptions: "DENY",
  xContentTypeOptions: "nosniff",
  referrerPolicy: "strict-origin-when-cross-origin",
  permissionsPolicy: {
    camera: false,
    microphone: false,
    geolocation: false,
    payment: false,
    usb: false,
    browsingTopics: false,
  },
  crossOriginResourcePolicy: "same-origin",
});

/**
 * Security headers for every response. API responses are data, never documents:
 * `default-src 'none'; frame-ancestors 'none'`. The web app's HTML gets a strict CSP
 * that allows only its own origin (Vite emits external, hashed scripts and styles, no
 * inline code), no plugins, no framing, no foreign form targets.
 */
export function securityHeaders(production: boolean): MiddlewareHandler<AppEnv> {
  const api = secureHeaders({
    ...common(production),
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  });
  const web = secureHeaders({
    ...common(production),
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  });
  // hono's middleware sets a fixed list on API responses; learn it once, so that a response
  // answered from memory with plain headers gets the very same list without an undici Headers.
  let apiHeaders: [string, string][] | undefined;
  headersSetBy(api).then(
    (found) => (apiHeaders = found.length > 0 ? found : undefined),
    () => undefined, // keep using the middleware itself
  );
  return async (c, next) => {
    if (!isApiPath(c.req.path)) return web(c, next);
    if (!apiHeaders) return api(c, next);
    await next();
    const plain = c.get("plainResponse");
    if (plain && plain.response === c.res) setResponseHeaders(c, apiHeaders);
    else await api(c, async () => {}); // exactly what wrapping next() in it would have done
  };
}

/** The headers a header-only middleware sets on a response, found by running it on a blank one. */
async function headersSetBy(middleware: MiddlewareHandler<AppEnv>): Promise<[string, string][]> {
  const blank = { res: new Response(null) };
  await middleware(blank as never, async () => {});
  return [...blank.res.headers];
}

/**
 * API responses may carry user data (orders, sessions, tokens): no shared or browser cache
 * may keep them. The exception is a shoppers' catalog page with an ETag: the browser may keep
 * it (private: no shared cache) but must revalidate it on each use (no-cache), which costs a
 * 304 when it is unchanged. The web app's static assets set their own caching.
 */
export function noStoreForApi(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!isApiPath(c.req.path)) return;
    setResponseHeaders(c, hasEntityTag(c) ? REVALIDATE : NO_STORE);
  };
}

function hasEntityTag(c: Parameters<MiddlewareHandler<AppEnv>>[0]): boolean {
  // A plain response's headers are read from its object: touching `c.res.headers` would copy them.
  const plain = c.get("plainResponse");
  if (plain && plain.response === c.res) return plain.headers.etag !== undefined;
  return c.res.headers.has("etag");
}
