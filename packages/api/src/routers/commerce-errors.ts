// Maps commerce domain errors to tRPC codes. The domain error stays attached as the
// TRPCError `cause`, so the error formatter can expose its `reason` and `details`
// (e.g. which order lines are short) to clients.
import { CommerceError, type CommerceErrorKind, type Viewer } from "@cartwheel/commerce";
import { TRPCError } from "@trpc/server";
import type { Actor } from "../context.ts";
import { isStaff, middleware } from "../trpc.ts";

const codes: Record<CommerceErrorKind, "NOT_FOUND" | "CONFLICT" | "BAD_REQUEST"> = {
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  invalid_input: "BAD_REQUEST",
};

export const commerceErrors = middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof CommerceError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: codes[cause.kind], message: cause.message, cause });
  }
  return result;
});

/** The services' view of the caller. */
export function viewerOf(actor: Actor): Viewer;
export function viewerOf(actor: Actor | null): Viewer | null;
export function viewerOf(actor: Actor | null): Viewer | null {
  return actor ? { id: actor.id, staff: isStaff(actor) } : null;
}
