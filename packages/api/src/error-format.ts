import type { TRPCDefaultErrorShape, TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Context } from "./context.ts";

/**
 * The `error.data` every client sees (tRPC's default fields plus ours):
 *
 * ```ts
 * {
 *   code: "BAD_REQUEST" | "NOT_FOUND" | ...;   // tRPC error code key
 *   httpStatus: number;
 *   path?: string;                             // procedure, when known
 *   requestId: string | null;                  // the X-Request-Id echoed on the response; quote it in bug reports
 *   fieldErrors?: Record<string, string[]>;    // BAD_REQUEST from input validation: messages per top-level field
 *   formErrors?: string[];                     //   ...and messages not tied to a field
 *   reason?: string;                           // domain errors that opt in: stable machine-readable reason
 *   details?: unknown;                         //   ...and their JSON payload, e.g. { shortages: [...] }
 *   stack?: string;                            // development only
 * }
 * ```
 *
 * Domain errors opt in to `reason`/`details` by being the TRPCError `cause` and carrying a
 * `details` property (see @cartwheel/commerce CommerceError). In production an
 * INTERNAL_SERVER_ERROR never carries its original message (it may hold SQL) or a stack:
 * the detail is logged with the request id instead.
 */
export interface ErrorData {
  code: TRPCDefaultErrorShape["data"]["code"];
  httpStatus: number;
  path?: string;
  stack?: string;
  requestId: string | null;
  fieldErrors?: Record<string, string[]>;
  formErrors?: string[];
  reason?: string;
  details?: unknown;
}

export interface ErrorShape extends Omit<TRPCDefaultErrorShape, "data"> {
  data: ErrorData;
}

export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. Quote the request id if you report it.";

/**
 * Details are shown only when the request's context says development; without a context
 * (it failed to build) we fail closed and treat the request as production.
 */
const isProduction = (ctx: Context | undefined) => ctx?.production ?? true;

function validationMessage(error: z.core.$ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.map(String).join(".");
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  return `Invalid input: ${parts.join("; ")}`;
}

function optInDetails(cause: unknown): Pick<ErrorData, "reason" | "details"> {
  if (typeof cause !== "object" || cause === null || !("details" in cause)) return {};
  const { details, reason } = cause as { details: unknown; reason?: unknown };
  return typeof reason === "string" ? { reason, details } : { details };
}

export function formatError({
  shape,
  error,
  ctx,
}: {
  shape: TRPCDefaultErrorShape;
  error: TRPCError;
  ctx: Context | undefined;
}): ErrorShape {
  const { stack, ...defaultData } = shape.data;
  const data: ErrorData = { ...defaultData, requestId: ctx?.requestId ?? null };
  if (stack && !isProduction(ctx)) data.stack = stack;
  let message = shape.message;

  // Any code may carry field messages (e.g. CONFLICT on an email already registered).
  if (error.cause instanceof z.core.$ZodError) {
    const flat = z.flattenError(error.cause);
    data.fieldErrors = flat.fieldErrors;
    data.formErrors = flat.formErrors;
    if (error.code === "BAD_REQUEST") message = validationMessage(error.cause);
  } else if (error.code === "INTERNAL_SERVER_ERROR") {
    if (isProduction(ctx)) message = INTERNAL_ERROR_MESSAGE;
  } else {
    Object.assign(data, optInDetails(error.cause));
  }
  return { ...shape, message, data };
}
