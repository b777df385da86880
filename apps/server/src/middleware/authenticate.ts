import type { AuthService } from "@cartwheel/auth";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../hono-env.ts";

const bearerPattern = /^Bearer +(\S+)$/i;

/**
 * Sets `c.var.actor` from `X-API-Key` or `Authorization: Bearer <access token | API key>`.
 * A missing, invalid, expired or revoked credential leaves the caller anonymous: public
 * procedures still work, protected ones answer UNAUTHORIZED (the client then refreshes).
 */
export function authenticate(auth: AuthService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const credential = c.req.header("x-api-key") ?? bearerPattern.exec(c.req.header("authorization") ?? "")?.[1];
    c.set("actor", credential ? await auth.authenticate(credential) : null);
    await next();
  };
}
