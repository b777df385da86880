import type { Context, CookieOptions, Services } from "@cartwheel/api";
import type { Context as HonoContext } from "hono";
import { generateCookie, getCookie } from "hono/cookie";
import type { AppEnv } from "./hono-env.ts";

export interface TrpcContextOptions {
  /** tRPC's response headers: sent with every outcome, unlike headers set on the Hono context. */
  resHeaders: Headers;
  /** CORS_ORIGINS: other origins trusted like our own. */
  trustedOrigins: readonly string[];
  production: boolean;
}

/** Builds the strict tRPC context for one request from what the middleware established. */
export function createTrpcContext(services: Services, c: HonoContext<AppEnv>, options: TrpcContextOptions): Context {
  // Request id, logger and client IP come from the gateway middleware (request-id.ts, client-ip.ts),
  // the actor from middleware/authenticate.ts.
  const requestId = c.get("requestId");
  // Parsed only when a cookie is written or an Origin header must be compared: most calls need neither.
  let parsedUrl: URL | undefined;
  const url = () => (parsedUrl ??= new URL(c.req.url));
  // Safari drops Secure cookies on http://localhost; everywhere else (and always in production) they stay Secure.
  const plainLocalhost = () =>
    url().protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url().hostname);
  const cookieAttributes = (attributes: CookieOptions) => ({
    httpOnly: attributes.httpOnly,
    secure: attributes.secure && !(!options.production && plainLocalhost()),
    sameSite: attributes.sameSite,
    path: attributes.path,
    maxAge: attributes.maxAgeSeconds,
  });
  return {
    services,
    requestId,
    actor: c.get("actor") ?? null,
    ip: c.get("ip") ?? "unknown",
    userAgent: c.req.header("user-agent") ?? null,
    sameOrigin: isSameOrigin(c, () => url().origin, options.trustedOrigins),
    production: options.production,
    cookies: {
      get: (name) => getCookie(c, name),
      set: (name, value, attributes) =>
        options.resHeaders.append("Set-Cookie", generateCookie(name, value, cookieAttributes(attributes))),
      delete: (name, attributes) =>
        options.resHeaders.append(
          "Set-Cookie",
          generateCookie(name, "", { ...cookieAttributes(attributes), maxAge: 0, expires: new Date(0) }),
        ),
    },
    responseHeaders: options.resHeaders,
    logger: c.get("logger"),
  };
}

/**
 * Proof that our own pages sent the request, for mutations that act on the cookie: the
 * browser-set Sec-Fetch-Site, or an Origin equal to ours or allowlisted in CORS_ORIGINS.
 */
function isSameOrigin(c: HonoContext<AppEnv>, ownOrigin: () => string, trustedOrigins: readonly string[]): boolean {
  if (c.req.header("sec-fetch-site") === "same-origin") return true;
  const origin = c.req.header("origin");
  return origin !== undefined && (origin === ownOrigin() || trustedOrigins.includes(origin));
}
