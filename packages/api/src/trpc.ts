import { initTRPC, TRPCError } from "@trpc/server";
import type { Role } from "@cartwheel/db";
import type { Actor, Context } from "./context.ts";

const t = initTRPC.context<Context>().create();

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

const rank: Record<Role, number> = { customer: 0, staff: 1, admin: 2 };

/** A procedure open to callers whose role is at least `minimum`; narrows `ctx.actor`. */
export function requireRole(minimum: Role) {
  return t.procedure.use(({ ctx, next }) => {
    if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
    if (rank[ctx.actor.role] < rank[minimum]) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${minimum} role.` });
    }
    return next({ ctx: { ...ctx, actor: ctx.actor } });
  });
}

export const protectedProcedure = requireRole("customer");
export const staffProcedure = requireRole("staff");
export const adminProcedure = requireRole("admin");

export const isStaff = (actor: Actor | null): boolean => actor !== null && rank[actor.role] >= rank.staff;
