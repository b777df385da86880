import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../env.ts";

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
  return (c, next) => (isApiPath(c.req.path) ? api(c, next) : web(c, next));
}

/**
 * API responses may carry user data (orders, sessions, tokens): no shared or browser cache
 * may keep them. The web app's static assets set their own caching.
 */
export function noStoreForApi(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    // c.res.headers rather than c.header(), which would rebuild the Response around a body stream.
    if (isApiPath(c.req.path)) c.res.headers.set("Cache-Control", "no-store");
  };
}
