import type { AuthService } from "@cartwheel/auth";
import { DomainError } from "@cartwheel/contracts";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../hono-env.ts";
import { trpcErrorResponse } from "../trpc-error-response.ts";

const bearerPattern = /^Bearer +(\S+)$/i;

/**
 * Sets `c.var.actor` from `X-API-Key` or `Authorization: Bearer <access token | API key>`.
 * A missing, invalid, expired or revoked access token leaves the caller anonymous: public
 * procedures still work, protected ones answer UNAUTHORIZED (the client then refreshes).
 * An API key that does not verify is a mistake the script must hear about, so its reason
 * is kept in `c.var.credentialRejection` and answered (401) by rejectInvalidCredential,
 * after the rate limiter has counted the request against the client's address.
 */
export function authenticate(auth: AuthService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const credential = c.req.header("x-api-key") ?? bearerPattern.exec(c.req.header("authorization") ?? "")?.[1];
    let actor = null;
    if (credential) {
      try {
        actor = await auth.authenticate(credential);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        c.set("credentialRejection", error.message);
      }
    }
    c.set("actor", actor);
    await next();
  };
}

/** Answers 401 with the reason authenticate() found; runs after the rate limiter. */
export function rejectInvalidCredential(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const reason = c.get("credentialRejection");
    if (reason)
      return trpcErrorResponse(c, "UNAUTHORIZED", reason, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
    await next();
  };
}
