import { passwordProblem, type SignedIn } from "@cartwheel/auth";
import { idSchema, textSchema } from "@cartwheel/commerce";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Context } from "../context.ts";
import { protectedProcedure, publicProcedure, router } from "../trpc.ts";
import { mapAuthErrors } from "./auth-errors.ts";

const emailInput = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address.").max(254));
// Only a DoS guard; the real rules (8..128, not common, not the email) live in passwordProblem.
const anyPassword = z.string().min(1, "Enter your password.").max(1024);
const transport = z.enum(["cookie", "token"]).default("cookie");
const refreshTokenInput = z.object({ refreshToken: textSchema().min(1).max(200).optional() }).optional();

const registerInput = z
  .object({ email: emailInput, password: z.string().max(1024), name: textSchema().trim().min(1).max(100), transport })
  .superRefine(({ email, password }, issues) => {
    const problem = passwordProblem(password, email);
    if (problem) issues.addIssue({ code: "custom", path: ["password"], message: problem });
  });

export interface AuthResponse {
  user: SignedIn["user"];
  accessToken: string;
  accessTokenExpiresAt: Date;
  /** Only with transport "token"; browsers get it as an HttpOnly cookie instead. */
  refreshToken?: string;
}

const meta = (ctx: Context) => ({ ip: ctx.ip, userAgent: ctx.userAgent });

function cookieOptions(ctx: Context, expiresAt?: Date) {
  const maxAgeSeconds = expiresAt ? Math.round((expiresAt.getTime() - ctx.services.now().getTime()) / 1000) : 0;
  // Secure is relaxed for plain-http localhost only, by the HTTP cookie jar (apps/server trpc-context.ts).
  return { httpOnly: true, secure: true, sameSite: "Lax", path: "/", maxAgeSeconds } as const;
}

function respond(ctx: Context, result: SignedIn, via: "cookie" | "token"): AuthResponse {
  const body = {
    user: result.user,
    accessToken: result.accessToken,
    accessTokenExpiresAt: result.accessTokenExpiresAt,
  };
  if (via === "token") return { ...body, refreshToken: result.refreshToken };
  ctx.cookies.set(ctx.services.auth.cookieName, result.refreshToken, cookieOptions(ctx, result.refreshTokenExpiresAt));
  return body;
}

/** Browsers attach the cookie to cross-site requests too, so acting on it needs proof the page is ours. */
function requireSameOrigin(ctx: Context) {
  if (!ctx.sameOrigin) throw new TRPCError({ code: "FORBIDDEN", message: "Cross-origin request refused." });
}

/** Signed-in people only: API keys have no account, password or sessions. */
const userProcedure = protectedProcedure.use(({ ctx, next }) => {
  const { actor } = ctx;
  if (actor.kind !== "user" || !actor.sessionId) {
    throw new TRPCError({ code: "FORBIDDEN", message: "This needs a signed-in user, not an API key." });
  }
  return next({ ctx: { ...ctx, actor: { ...actor, sessionId: actor.sessionId } } });
});

export const authRouter = router({
  register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    const result = await mapAuthErrors(ctx, () => ctx.services.auth.register(input, meta(ctx)));
    return respond(ctx, result, input.transport);
  }),

  login: publicProcedure
    .input(z.object({ email: emailInput, password: anyPassword, transport }))
    .mutation(async ({ ctx, input }) => {
      const result = await mapAuthErrors(ctx, () => ctx.services.auth.login(input, meta(ctx)));
      return respond(ctx, result, input.transport);
    }),

  /** Token transport sends `refreshToken`; browsers send nothing and rely on the cookie. */
  refresh: publicProcedure.input(refreshTokenInput).mutation(async ({ ctx, input }) => {
    const { auth } = ctx.services;
    const fromBody = input?.refreshToken;
    if (!fromBody) requireSameOrigin(ctx);
    const token = fromBody ?? ctx.cookies.get(auth.cookieName);
    if (!token) throw new TRPCError({ code: "UNAUTHORIZED", message: "You are not signed in." });
    try {
      const result = await mapAuthErrors(ctx, () => auth.refresh(token, meta(ctx)));
      return respond(ctx, result, fromBody ? "token" : "cookie");
    } catch (error) {
      if (!fromBody) ctx.cookies.delete(auth.cookieName, cookieOptions(ctx));
      throw error;
    }
  }),

  /** Ends the session named by the bearer token, the body's refresh token and/or the cookie. */
  logout: publicProcedure.input(refreshTokenInput).mutation(async ({ ctx, input }) => {
    const { auth } = ctx.services;
    const cookie = ctx.cookies.get(auth.cookieName);
    if (cookie !== undefined || (!ctx.actor && !input?.refreshToken)) requireSameOrigin(ctx);
    const user = ctx.actor?.kind === "user" ? ctx.actor : null;
    await auth.logout({ userId: user?.id, sessionId: user?.sessionId, refreshToken: input?.refreshToken ?? cookie });
    if (cookie !== undefined) ctx.cookies.delete(auth.cookieName, cookieOptions(ctx));
    return { ok: true as const };
  }),

  me: userProcedure.query(({ ctx }) => mapAuthErrors(ctx, () => ctx.services.auth.me(ctx.actor.id))),

  sessions: userProcedure.query(async ({ ctx }) => {
    const sessions = await ctx.services.auth.sessions(ctx.actor.id, ctx.actor.sessionId);
    return sessions.map(({ id, createdAt, lastUsedAt, userAgent, ip, current }) => ({
      id,
      createdAt,
      lastUsedAt,
      userAgent,
      ip,
      current,
    }));
  }),

  revokeSession: userProcedure.input(z.object({ id: idSchema })).mutation(async ({ ctx, input }) => {
    await mapAuthErrors(ctx, () => ctx.services.auth.revokeSession(ctx.actor.id, input.id));
    return { ok: true as const };
  }),

  revokeOtherSessions: userProcedure.mutation(async ({ ctx }) => ({
    revoked: await ctx.services.auth.revokeOtherSessions(ctx.actor.id, ctx.actor.sessionId),
  })),

  changePassword: userProcedure
    .input(z.object({ currentPassword: anyPassword, newPassword: z.string().max(1024) }))
    .mutation(async ({ ctx, input }) => {
      const actor = { userId: ctx.actor.id, sessionId: ctx.actor.sessionId };
      await mapAuthErrors(ctx, () => ctx.services.auth.changePassword(actor, input, meta(ctx)));
      return { ok: true as const };
    }),
});
