import { initTRPC, TRPCError } from "@trpc/server";
import { isDatabaseUnavailable, isForeignKeyViolation, type Role } from "@cartwheel/db";
import type { Actor, Context } from "./context.ts";
import { formatError } from "./error-format.ts";
import { recordProcedure } from "./observe.ts";

const t = initTRPC.context<Context>().create({ errorFormatter: formatError });

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

/**
 * Wraps every procedure: latency and business metrics, and the one place where a lost
 * database becomes SERVICE_UNAVAILABLE (retry later) rather than INTERNAL_SERVER_ERROR.
 */
const observed = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const unavailable =
    !result.ok && result.error.code === "INTERNAL_SERVER_ERROR" && isDatabaseUnavailable(result.error.cause);
  const outcome = result.ok ? "ok" : unavailable ? "SERVICE_UNAVAILABLE" : result.error.code;
  const durationMs = performance.now() - started;
  recordProcedure(ctx, { path, type, outcome, durationMs, data: result.ok ? result.data : undefined });
  if (unavailable) {
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "The database is unavailable. Please retry shortly.",
      cause: result.error.cause,
    });
  }
  return result;
});

export const publicProcedure = t.procedure.use(observed);

const rank: Record<Role, number> = { customer: 0, staff: 1, admin: 2 };

/**
 * A procedure open to callers whose role is at least `minimum`; narrows `ctx.actor`.
 * The gateway trusts an access token's user for a few seconds (see @cartwheel/auth
 * active-users.ts): a write that then trips a foreign key because that user was deleted
 * in between answers UNAUTHORIZED, like the next request will, not a 500.
 */
export function requireRole(minimum: Role) {
  return publicProcedure.use(async ({ ctx, next }) => {
    const { actor } = ctx;
    if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
    if (rank[actor.role] < rank[minimum]) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${minimum} role.` });
    }
    const result = await next({ ctx: { ...ctx, actor } });
    if (
      !result.ok &&
      actor.kind === "user" &&
      isForeignKeyViolation(result.error.cause) &&
      !(await ctx.services.auth.isActiveUser(actor.id))
    ) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account is no longer active. Sign in again." });
    }
    return result;
  });
}

export const protectedProcedure = requireRole("customer");
export const staffProcedure = requireRole("staff");
export const adminProcedure = requireRole("admin");

export const isStaff = (actor: Actor | null): boolean => actor !== null && rank[actor.role] >= rank.staff;
