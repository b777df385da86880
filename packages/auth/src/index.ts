export { ACCESS_TOKEN_TTL_SECONDS, signAccessToken, verifyAccessToken, type AccessClaims } from "./access-token.ts";
export {
  createAccount,
  EMAIL_MAX_LENGTH,
  NAME_MAX_LENGTH,
  normalizeEmail,
  type NewAccount,
  type PublicUser,
} from "./accounts.ts";
export { ACTIVE_USER_CACHE_MS } from "./active-users.ts";
export type { UserSummary } from "./admin-users.ts";
export { API_KEY_MAX_LENGTH, API_KEY_PREFIX, type ApiKeyInfo, type KeyActor } from "./api-keys.ts";
export { DEVICE_TOKEN_MAX_LENGTH, DEVICE_TOKEN_TTL_SECONDS } from "./device-tokens.ts";
export { DEV_ADMIN_EMAIL, seedDevAdmin } from "./dev-seed.ts";
export { AuthError, type AuthErrorCode } from "./errors.ts";
export {
  argon2Params,
  createPasswordHasher,
  hashPassword,
  isCommonPassword,
  MAX_CONCURRENT_HASHES,
  MAX_WAITING_HASHES,
  PASSWORD_MAX_INPUT_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_TOO_LONG,
  PasswordQueueFull,
  passwordProblem,
  verifyPassword,
  type PasswordHasher,
} from "./passwords.ts";
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
  addressKey,
  createLoginThrottle,
  defaultThrottleLimits,
  type LoginAttempt,
  type LoginThrottle,
  type ThrottleLimits,
} from "./throttle.ts";
