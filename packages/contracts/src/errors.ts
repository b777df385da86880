// The domain errors of the API: every reason a service may give, the JSON `details` that
// comes with it, and the one tRPC code it is answered with. Services throw DomainError;
// the API's middleware maps it by `reason`; clients read `error.data.reason` and get the
// matching `details` type without a cast.
import type { OrderStatus } from "./enums.ts";

/** One line of an order (or stock change) that asks for more than there is. */
export interface Shortage {
  productId: string;
  name: string;
  requested: number;
  available: number;
}

/** Names the input the message belongs to; the answer then also carries it in `fieldErrors`. */
export interface FieldDetails {
  field: string;
}

/** The caller may try again after this many seconds (also sent as Retry-After). */
export interface RetryDetails {
  retryAfterSeconds: number;
}

/** Sent as `{}`. */
type NoDetails = Record<string, never>;

/** Every reason with the type of its `details`. */
export interface ErrorDetailsByReason {
  not_found: {
    entity:
      | "product"
      | "order"
      | "user"
      | "session"
      | "api_key"
      | "job"
      | "webhook_endpoint"
      | "webhook_delivery"
      | "address";
    ids: string[];
  };
  insufficient_stock: { shortages: Shortage[] };
  /** A write would take a product's stock past MAX_STOCK, which the database also refuses. */
  stock_limit: { productId: string; max: number };
  slug_taken: { slug: string };
  stale_version: { currentVersion: number };
  idempotency_key_reused: { orderId: string };
  invalid_transition: { from: OrderStatus; to: OrderStatus; allowed: OrderStatus[] };
  currency_mismatch: { currencies: string[] };
  invalid_cursor: NoDetails;
  total_too_large: NoDetails;
  invalid_input: FieldDetails;
  invalid_password: FieldDetails;
  email_taken: FieldDetails;
  /** One reason for unknown email, wrong password and disabled account, so none can be told apart. */
  invalid_credentials: NoDetails;
  invalid_refresh_token: NoDetails;
  /** A password reset or e-mail verification link that is unknown, used or expired. */
  invalid_account_token: NoDetails;
  /** The shop requires a verified e-mail address for this; `auth.resendVerification` mails a new link. */
  email_unverified: NoDetails;
  invalid_api_key: NoDetails;
  self_change: NoDetails;
  last_admin: NoDetails;
  throttled: RetryDetails;
  overloaded: RetryDetails;
  /** A webhook URL that is not https (in production) or resolves to a private address. */
  webhook_url_refused: FieldDetails;
  /** MAX_WEBHOOK_ENDPOINTS exist already. */
  webhook_endpoint_limit: { max: number };
  /** Only customer accounts are erased; staff and admins are made customers first. */
  erasure_refused: NoDetails;
  /** MAX_SAVED_ADDRESSES are saved already. */
  address_limit: { max: number };
}

export type ErrorReason = keyof ErrorDetailsByReason;
export type ErrorDetails<R extends ErrorReason> = ErrorDetailsByReason[R];

/** The tRPC codes domain errors are answered with (a subset of tRPC's TRPC_ERROR_CODE_KEY). */
export type DomainErrorCode =
  "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "TOO_MANY_REQUESTS" | "SERVICE_UNAVAILABLE";

export const errorCodeByReason: Record<ErrorReason, DomainErrorCode> = {
  not_found: "NOT_FOUND",
  insufficient_stock: "CONFLICT",
  stock_limit: "CONFLICT",
  slug_taken: "CONFLICT",
  stale_version: "CONFLICT",
  idempotency_key_reused: "CONFLICT",
  invalid_transition: "BAD_REQUEST",
  address_limit: "CONFLICT",
  erasure_refused: "CONFLICT",
  currency_mismatch: "BAD_REQUEST",
  invalid_cursor: "BAD_REQUEST",
  total_too_large: "BAD_REQUEST",
  invalid_input: "BAD_REQUEST",
  invalid_password: "BAD_REQUEST",
  email_taken: "CONFLICT",
  invalid_credentials: "UNAUTHORIZED",
  invalid_refresh_token: "UNAUTHORIZED",
  invalid_account_token: "BAD_REQUEST",
  email_unverified: "FORBIDDEN",
  invalid_api_key: "UNAUTHORIZED",
  self_change: "BAD_REQUEST",
  last_admin: "CONFLICT",
  throttled: "TOO_MANY_REQUESTS",
  overloaded: "SERVICE_UNAVAILABLE",
  webhook_url_refused: "BAD_REQUEST",
  webhook_endpoint_limit: "CONFLICT",
};

/** `reason` and `details` as `error.data` carries them: a union discriminated on `reason`. */
export type DomainErrorData = { [R in ErrorReason]: { reason: R; details: ErrorDetailsByReason[R] } }[ErrorReason];

/** A failure the caller can act on. Messages are safe to show people; details are plain JSON. */
export class DomainError<R extends ErrorReason = ErrorReason> extends Error {
  readonly reason: R;
  readonly details: ErrorDetailsByReason[R];

  constructor(reason: R, message: string, details: ErrorDetailsByReason[R]) {
    super(message);
    this.name = new.target.name;
    this.reason = reason;
    this.details = details;
  }

  /** Narrows to one reason, so its details are typed. */
  is<S extends ErrorReason>(reason: S): this is DomainError<S> {
    const own: ErrorReason = this.reason;
    return own === reason;
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
