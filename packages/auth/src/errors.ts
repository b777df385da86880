export type AuthErrorCode =
  | "INVALID_CREDENTIALS"
  | "INVALID_PASSWORD"
  | "INVALID_INPUT"
  | "EMAIL_TAKEN"
  | "THROTTLED"
  | "INVALID_REFRESH_TOKEN"
  | "NOT_FOUND"
  | "SELF_CHANGE"
  | "LAST_ADMIN"
  | "INVALID_API_KEY"
  | "OVERLOADED";

/** A domain failure the API layer maps to a tRPC code. Messages are safe to show users. */
export class AuthError extends Error {
  override readonly name = "AuthError";

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    /** `field` names the input the message belongs to; `retryAfterSeconds` comes with THROTTLED and OVERLOADED. */
    readonly details: { field?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }

  /** Stable machine-readable reason, surfaced to clients by the API's error formatter. */
  get reason(): string {
    return this.code;
  }
}

/** One message for unknown email, wrong password and disabled account, so none can be told apart. */
export const invalidCredentials = () => new AuthError("INVALID_CREDENTIALS", "Email or password is incorrect.");

export const invalidRefreshToken = () =>
  new AuthError("INVALID_REFRESH_TOKEN", "Your session has ended. Sign in again.");
