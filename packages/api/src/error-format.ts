import type { TRPCDefaultErrorShape, TRPCError } from "@trpc/server";
import { DomainError, type DomainErrorData } from "@cartwheel/contracts";
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
 *   fieldErrors?: Record<string, string[]>;    // input validation, or a domain error naming a field: messages per field,
 *                                              //   keyed by the field's dotted path ("shippingAddress.phone", "items.0.quantity")
 *   formErrors?: string[];                     //   ...and messages not tied to a field
 *   reason?: ErrorReason;                      // domain errors: stable machine-readable reason
 *   details?: ErrorDetails<reason>;            //   ...and its JSON payload, e.g. { shortages: [...] }
 *   stack?: string;                            // development only
 * }
 * ```
 *
 * `reason` and `details` come from a DomainError (@cartwheel/contracts errors.ts) that is the
 * TRPCError `cause`; their type is a union discriminated on `reason`, so a client that checks
 * the reason reads the details without a cast. In production an
 * INTERNAL_SERVER_ERROR never carries its original message (it may hold SQL) or a stack:
 * the detail is logged with the request id instead.
 */
interface BaseErrorData {
  code: TRPCDefaultErrorShape["data"]["code"];
  httpStatus: number;
  path?: string;
  stack?: string;
  requestId: string | null;
  fieldErrors?: Record<string, string[]>;
  formErrors?: string[];
}

/** Without a domain error there is neither reason nor details. */
interface NoDomainError {
  reason?: undefined;
  details?: undefined;
}

export type ErrorData = BaseErrorData & (DomainErrorData | NoDomainError);

export interface ErrorShape extends Omit<TRPCDefaultErrorShape, "data"> {
  data: ErrorData;
}

export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. Quote the request id if you report it.";

/**
 * Details are shown only when the request's context says development; without a context
 * (it failed to build) we fail closed and treat the request as production.
 */
const isProduction = (ctx: Context | undefined) => ctx?.production ?? true;

/**
 * Messages per field, by the field's whole path, so a form with nested parts (an address in
 * an order) can show each message at its own input; issues about the input as a whole are
 * form errors.
 */
function fieldMessages(error: z.core.$ZodError): { fieldErrors: Record<string, string[]>; formErrors: string[] } {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const issue of error.issues) {
    if (issue.path.length === 0) formErrors.push(issue.message);
    else (fieldErrors[issue.path.map(String).join(".")] ??= []).push(issue.message);
  }
  return { fieldErrors, formErrors };
}

function validationMessage(error: z.core.$ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.map(String).join(".");
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  return `Invalid input: ${parts.join("; ")}`;
}

/** A domain error's reason and details; one that names a field also puts its message there. */
function domainErrorData(error: DomainError): DomainErrorData & Pick<BaseErrorData, "fieldErrors"> {
  // The class keeps reason and details as two fields; the compiler cannot see that they match.
  const data = { reason: error.reason, details: error.details } as DomainErrorData;
  const { details } = error;
  return "field" in details ? { ...data, fieldErrors: { [details.field]: [error.message] } } : data;
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
  let data: ErrorData = { ...defaultData, requestId: ctx?.requestId ?? null };
  if (stack && !isProduction(ctx)) data.stack = stack;
  let message = shape.message;

  // Any code may carry field messages (e.g. CONFLICT on an email already registered).
  if (error.cause instanceof z.core.$ZodError) {
    Object.assign(data, fieldMessages(error.cause));
    if (error.code === "BAD_REQUEST") message = validationMessage(error.cause);
  } else if (error.code === "INTERNAL_SERVER_ERROR") {
    if (isProduction(ctx)) message = INTERNAL_ERROR_MESSAGE;
  } else if (error.cause instanceof DomainError) {
    data = { ...data, ...domainErrorData(error.cause) };
  }
  return { ...shape, message, data };
}
