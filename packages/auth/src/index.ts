export { ACCESS_TOKEN_TTL_SECONDS, signAccessToken, verifyAccessToken, type AccessClaims } from "./access-token.ts";
export { type AccountDeps, createAccount, type NewAccount, type PublicUser } from "./accounts.ts";
export { ACTIVE_USER_CACHE_MS } from "./active-users.ts";
export type { UserSummary } from "./admin-users.ts";
export { API_KEY_PREFIX, type ApiKeyInfo, type KeyActor } from "./api-keys.ts";
export { DEVICE_TOKEN_TTL_SECONDS } from "./device-tokens.ts";
export { DEV_ADMIN_EMAIL, seedDevAdmin } from "./dev-seed.ts";
export {
  argon2Params,
  createPasswordHasher,
  hashPassword,
  isCommonPassword,
  MAX_CONCURRENT_HASHES,
  MAX_WAITING_HASHES,
  PasswordCheckAbandoned,
  PasswordQueueFull,
  passwordProblem,
  verifyPassword,
  type PasswordHasher,
} from "./passwords.ts";
export { DEFAULT_CREDENTIAL_RETENTION_DAYS, purgeEndedCredentials, type PurgedCredentials } from "./retention.ts";
export { ACCOUNT_TOKEN_TTL_SECONDS, type AccountTokens } from "./account-tokens.ts";
export { type CheckYourEmail } from "./account-flows.ts";
export {
  accountMailThrottleRules,
  createAccountMailThrottle,
  type AccountMailKind,
  type AccountMailThrottle,
} from "./account-mail-throttle.ts";
export { createMemoryRevocationStore, createRedisRevocationStore, type RevocationStore } from "./revocations.ts";
export {
  createAuthService,
  type AuthenticatedActor,
  type AuthService,
  type AuthServiceDeps,
  type SignedIn,
  type SignedInWithDevice,
} from "./service.ts";
export {
  REFRESH_GRACE_SECONDS,
  SESSION_ABSOLUTE_SECONDS,
  SESSION_IDLE_SECONDS,
  type RequestMeta,
  type SessionInfo,
} from "./sessions.ts";
export {
  createLoginThrottle,
  defaultThrottleLimits,
  loginThrottleRules,
  type LoginAttempt,
  type LoginThrottle,
  type ThrottleLimits,
} from "./throttle.ts";
export { findUserIdByEmail, type UserSealingDeps } from "./user-pii.ts";
export { ERASED_NAME, erasedEmail, type ErasureStep } from "./erasure.ts";
