export { ACCESS_TOKEN_TTL_SECONDS, signAccessToken, verifyAccessToken, type AccessClaims } from "./access-token.ts";
export type { UserSummary } from "./admin-users.ts";
export { API_KEY_PREFIX, type ApiKeyInfo } from "./api-keys.ts";
export { DEV_ADMIN_EMAIL, seedDevAdmin } from "./dev-seed.ts";
export { AuthError, type AuthErrorCode } from "./errors.ts";
export {
  argon2Params,
  hashPassword,
  isCommonPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordProblem,
  verifyPassword,
} from "./passwords.ts";
export { createMemoryRevocationStore, createRedisRevocationStore, type RevocationStore } from "./revocations.ts";
export {
  createAuthService,
  normalizeEmail,
  type AuthenticatedActor,
  type AuthService,
  type AuthServiceDeps,
  type PublicUser,
  type SignedIn,
} from "./service.ts";
export {
  REFRESH_GRACE_SECONDS,
  SESSION_ABSOLUTE_SECONDS,
  SESSION_IDLE_SECONDS,
  type RequestMeta,
  type SessionInfo,
} from "./sessions.ts";
export { createLoginThrottle, defaultThrottleLimits, type LoginThrottle, type ThrottleLimits } from "./throttle.ts";
