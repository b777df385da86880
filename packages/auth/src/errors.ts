// The auth failures built in more than one place. Every failure is a DomainError whose
// reason @cartwheel/contracts declares; messages are safe to show users.
import { DomainError } from "@cartwheel/contracts";

/** One message for unknown email, wrong password and disabled account, so none can be told apart. */
export const invalidCredentials = () => new DomainError("invalid_credentials", "Email or password is incorrect.", {});

export const invalidRefreshToken = () =>
  new DomainError("invalid_refresh_token", "Your session has ended. Sign in again.", {});
