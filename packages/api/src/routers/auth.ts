import {
  byIdSchema,
  changePasswordSchema,
  deleteAccountSchema,
  DomainError,
  loginSchema,
  refreshTokenSchema,
  registerSchema,
  requestPasswordResetSchema,
  resetPasswordSchema,
  verifyEmailSchema,
  type AuthTransport,
} from "@cartwheel/contracts";
import type { SignedIn, SignedInWithDevice } from "@cartwheel/auth";
import { TRPCError } from "@trpc/server";
import type { Context } from "../context.ts";
import { protectedProcedure, publicProcedure, router } from "../trpc.ts";

export interface AuthResponse {
  user: SignedIn["user"];
  accessToken: string;
  accessTokenExpiresAt: Date;
  /** Only with transport "token"; browsers get it as an HttpOnly cookie instead. */
  refreshToken?: string;
  /** Only with transport "token", after a password sign-in: send it with later logins (see device-tokens.ts). */
  deviceToken?: string;
}

const meta = (ctx: Context) => ({ ip: ctx.ip, userAgent: ctx.userAgent });

function cookieOptions(ctx: Context, expiresAt?: Date) {
  const maxAgeSeconds = expiresAt ? Math.round((expiresAt.getTime() - ctx.services.now().getTime()) / 1000) : 0;
  // Secure is relaxed for plain-http localhost only, by the HTTP cookie jar (apps/server trpc-context.ts).
  return { httpOnly: true, secure: true, sameSite: "Lax", path: "/", maxAgeSeconds } as const;
}

function respond(ctx: Context, result: SignedIn | SignedInWithDevice, via: AuthTransport): AuthResponse {
  const body = {
    user: result.user,
    accessToken: result.accessToken,
    accessTokenExpiresAt: result.accessTokenExpiresAt,
  };
  const device = "deviceToken" in result ? result : null;
  if (via === "token") {
    return { ...body, refreshToken: result.refreshToken, ...(device && { deviceToken: device.deviceToken }) };
  }
  const { auth } = ctx.services;
  ctx.cookies.set(auth.cookieName, result.refreshToken, cookieOptions(ctx, result.refreshTokenExpiresAt));
  // Strict: the device cookie only matters to our own sign-in form, never to a cross-site request.
  if (device) {
    ctx.cookies.set(auth.deviceCookieName, device.deviceToken, {
      ...cookieOptions(ctx, device.deviceTokenExpiresAt),
      sameSite: "Strict",
    });
  }
  return body;
}

const isInvalidRefreshToken = (error: unknown) =>
  error instanceof DomainError && error.reason === "invalid_refresh_token";

/**
 * Rotates the session a refresh token names. A cookie that names no live session is deleted;
 * any other failure (the database is down) leaves it, so an outage signs nobody out.
 */
async function rotate(ctx: Context, token: string, via: AuthTransport): Promise<AuthResponse> {
  try {
    return respond(ctx, await ctx.services.auth.refresh(token, meta(ctx)), via);
  } catch (error) {
    if (via === "cookie" && isInvalidRefreshToken(error)) {
      ctx.cookies.delete(ctx.services.auth.cookieName, cookieOptions(ctx));
    }
    throw error;
  }
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
  /** Answers `{ status: "check_your_email" }` whether or not the address is taken; sign in next. */
  register: publicProcedure
    .input(registerSchema)
    .mutation(({ ctx, input }) => ctx.services.auth.register(input, meta(ctx))),

  login: publicProcedure.input(loginSchema).mutation(async ({ ctx, input, signal }) => {
    const { auth } = ctx.services;
    const deviceToken = input.deviceToken ?? ctx.cookies.get(auth.deviceCookieName);
    const result = await auth.login({ ...input, deviceToken }, { ...meta(ctx), signal });
    return respond(ctx, result, input.transport);
  }),

  /** Token transport sends `refreshToken`; browsers send nothing and rely on the cookie. */
  refresh: publicProcedure.input(refreshTokenSchema).mutation(async ({ ctx, input }) => {
    const { auth } = ctx.services;
    const fromBody = input?.refreshToken;
    if (!fromBody) requireSameOrigin(ctx);
    const token = fromBody ?? ctx.cookies.get(auth.cookieName);
    if (!token) throw new TRPCError({ code: "UNAUTHORIZED", message: "You are not signed in." });
    return rotate(ctx, token, fromBody ? "token" : "cookie");
  }),

  /**
   * Silent sign-in on page load, for browsers: the session the refresh cookie names, rotated
   * as refresh rotates it, or null when there is none (no cookie, or one that no longer
   * works, which is deleted). Signed out is an answer here, not an error, so an anonymous
   * page load shows no failed request.
   */
  resume: publicProcedure.mutation(async ({ ctx }) => {
    requireSameOrigin(ctx);
    const token = ctx.cookies.get(ctx.services.auth.cookieName);
    if (!token) return null;
    try {
      return await rotate(ctx, token, "cookie");
    } catch (error) {
      if (isInvalidRefreshToken(error)) return null;
      throw error;
    }
  }),

  /** Ends the session named by the bearer token, the body's refresh token and/or the cookie. */
  logout: publicProcedure.input(refreshTokenSchema).mutation(async ({ ctx, input }) => {
    const { auth } = ctx.services;
    const cookie = ctx.cookies.get(auth.cookieName);
    if (cookie !== undefined || (!ctx.actor && !input?.refreshToken)) requireSameOrigin(ctx);
    const user = ctx.actor?.kind === "user" ? ctx.actor : null;
    await auth.logout({ userId: user?.id, sessionId: user?.sessionId, refreshToken: input?.refreshToken ?? cookie });
    if (cookie !== undefined) ctx.cookies.delete(auth.cookieName, cookieOptions(ctx));
    return { ok: true as const };
  }),

  me: userProcedure.query(({ ctx }) => ctx.services.auth.me(ctx.actor.id)),

  /** Who the credential is: a signed-in user, or an API key (its name and effective role). */
  whoami: protectedProcedure.query(({ ctx }) => ctx.services.auth.whoami(ctx.actor)),

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

  revokeSession: userProcedure.input(byIdSchema).mutation(async ({ ctx, input }) => {
    await ctx.services.auth.revokeSession(ctx.actor.id, input.id);
    return { ok: true as const };
  }),

  revokeOtherSessions: userProcedure.mutation(async ({ ctx }) => ({
    revoked: await ctx.services.auth.revokeOtherSessions(ctx.actor.id, ctx.actor.sessionId),
  })),

  changePassword: userProcedure.input(changePasswordSchema).mutation(async ({ ctx, input }) => {
    const actor = { userId: ctx.actor.id, sessionId: ctx.actor.sessionId };
    await ctx.services.auth.changePassword(actor, input, meta(ctx));
    return { ok: true as const };
  }),

  /**
   * Erases the caller's own account (the password again): personal data gone, sessions
   * revoked, orders kept as an erased customer's. The refresh cookie goes with it.
   */
  deleteAccount: userProcedure.input(deleteAccountSchema).mutation(async ({ ctx, input }) => {
    const { auth } = ctx.services;
    await auth.eraseOwnAccount({ userId: ctx.actor.id, sessionId: ctx.actor.sessionId }, input.password, meta(ctx));
    if (ctx.cookies.get(auth.cookieName) !== undefined) ctx.cookies.delete(auth.cookieName, cookieOptions(ctx));
    return { erased: true as const };
  }),

  /** Answers the same whether or not the address has an account; the owner gets a link by mail. */
  requestPasswordReset: publicProcedure
    .input(requestPasswordResetSchema)
    .mutation(({ ctx, input }) => ctx.services.auth.requestPasswordReset(input, meta(ctx))),

  /** Sets a new password from a mailed link and ends every session of the account. */
  resetPassword: publicProcedure.input(resetPasswordSchema).mutation(async ({ ctx, input }) => {
    await ctx.services.auth.resetPassword(input);
    return { ok: true as const };
  }),

  verifyEmail: publicProcedure.input(verifyEmailSchema).mutation(async ({ ctx, input }) => {
    await ctx.services.auth.verifyEmail(input);
    return { ok: true as const };
  }),

  /** Mails a new verification link to the signed-in owner of an unverified account. */
  resendVerification: userProcedure.mutation(({ ctx }) =>
    ctx.services.auth.resendVerification(ctx.actor.id, meta(ctx)),
  ),
});
