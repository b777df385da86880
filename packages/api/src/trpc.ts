import { inSpan } from "@cartwheel/tracing";
import { initTRPC, TRPCError } from "@trpc/server";
import { ACCESS_TOKEN_TTL_SECONDS } from "@cartwheel/auth";
import {
  hasRole,
  type Role,
  SUBSCRIPTION_PING_MS,
  SUBSCRIPTION_RECONNECT_AFTER_INACTIVITY_MS,
} from "@cartwheel/contracts";
import { isForeignKeyViolation } from "@cartwheel/db";
import type { Actor, Context } from "./context.ts";
import { answerFor } from "./domain-errors.ts";
import { formatError } from "./error-format.ts";
import { recordProcedure } from "./observe.ts";

const t = initTRPC.context<Context>().create({
  errorFormatter: formatError,
  sse: {
    // Comments on idle streams, so proxies and load balancers do not cut them as dead.
    ping: { enabled: true, intervalMs: SUBSCRIPTION_PING_MS },
    client: { reconnectAfterInactivityMs: SUBSCRIPTION_RECONNECT_AFTER_INACTIVITY_MS },
    // A stream ends (without `return`, so the client reconnects and resumes) once its access
    // token would have expired: the reconnect authenticates again with a fresh one.
    maxDurationMs: ACCESS_TOKEN_TTL_SECONDS * 1000,
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Wraps every procedure: a trace span, latency and business metrics, and the one place
 * where failures become the answer clients see (see domain-errors.ts).
 */
const observed = t.middleware(({ ctx, path, type, next }) =>
  inSpan(
    `trpc ${path}`,
    { attributes: { "rpc.system": "trpc", "rpc.method": path, "trpc.type": type } },
    async (span) => {
      const started = performance.now();
      const result = await next();
      const answer = result.ok ? null : answerFor(ctx, result.error);
      const durationMs = performance.now() - started;
      const outcome = answer ? answer.code : "ok";
      span?.setAttribute("trpc.outcome", outcome);
      recordProcedure(ctx, { path, type, outcome, durationMs, data: result.ok ? result.data : undefined });
      if (answer && !result.ok && answer !== result.error) throw answer;
      return result;
    },
  ),
);

export const publicProcedure = t.procedure.use(observed);

/**
 * A procedure open to callers whose role is at least `minimum`; narrows `ctx.actor`.
 * The gateway trusts an access token's user for a few seconds (see @cartwheel/auth
 * active-users.ts): a write that then trips a foreign key because that user was deleted
 * in between answers UNAUTHORIZED, like the next request will, not a 500.
 */
function requireRole(minimum: Role) {
  return publicProcedure.use(async ({ ctx, next }) => {
    const { actor } = ctx;
    if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
    if (!hasRole(actor.role, minimum)) {
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

export const isStaff = (actor: Actor | null): boolean => actor !== null && hasRole(actor.role, "staff");
