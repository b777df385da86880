import { AuthError, type AuthErrorCode } from "@cartwheel/auth";
import { type TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Context } from "../context.ts";

const trpcCodes: Record<AuthErrorCode, TRPC_ERROR_CODE_KEY> = {
  INVALID_CREDENTIALS: "UNAUTHORIZED",
  INVALID_REFRESH_TOKEN: "UNAUTHORIZED",
  INVALID_API_KEY: "UNAUTHORIZED",
  INVALID_PASSWORD: "BAD_REQUEST",
  INVALID_INPUT: "BAD_REQUEST",
  SELF_CHANGE: "BAD_REQUEST",
  LAST_ADMIN: "CONFLICT",
  EMAIL_TAKEN: "CONFLICT",
  NOT_FOUND: "NOT_FOUND",
  THROTTLED: "TOO_MANY_REQUESTS",
  OVERLOADED: "SERVICE_UNAVAILABLE",
};

/** Runs a service call and turns its AuthError into the TRPCError clients expect. */
export async function mapAuthErrors<T>(ctx: Context, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const { field, retryAfterSeconds } = error.details;
    if (retryAfterSeconds) ctx.responseHeaders.set("Retry-After", String(retryAfterSeconds));
    // A ZodError cause makes the error formatter expose `fieldErrors`, so forms show the message beside the field.
    const cause = field
      ? new z.ZodRealError([{ code: "custom", path: [field], message: error.message, input: undefined }])
      : error;
    throw new TRPCError({ code: trpcCodes[error.code], message: error.message, cause });
  }
}
