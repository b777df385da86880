// The one mapping from domain failures to tRPC answers. Services throw DomainError; tRPC
// wraps anything thrown in an INTERNAL_SERVER_ERROR with the original as `cause`, and the
// procedure middleware in trpc.ts hands that here to get the answer clients see.
import { DomainError, errorCodeByReason } from "@cartwheel/contracts";
import { isDatabaseUnavailable } from "@cartwheel/db";
import { TRPCError } from "@trpc/server";
import type { Context } from "./context.ts";

/**
 * The error to answer with: a DomainError becomes the code its reason is declared with (and
 * stays the cause, so the error formatter can send its reason and details); a lost database
 * becomes SERVICE_UNAVAILABLE (retry later) rather than INTERNAL_SERVER_ERROR. Anything else
 * is answered as it is.
 */
export function answerFor(ctx: Context, error: TRPCError): TRPCError {
  const { cause } = error;
  if (cause instanceof DomainError) {
    // `instanceof` on a generic class narrows to DomainError<any>; name the reason union back.
    const domain: DomainError = cause;
    if (domain.is("throttled") || domain.is("overloaded")) {
      ctx.responseHeaders.set("Retry-After", String(domain.details.retryAfterSeconds));
    }
    return new TRPCError({ code: errorCodeByReason[domain.reason], message: domain.message, cause: domain });
  }
  if (error.code === "INTERNAL_SERVER_ERROR" && isDatabaseUnavailable(cause)) {
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "The database is unavailable. Please retry shortly.",
      cause,
    });
  }
  return error;
}
