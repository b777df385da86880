// Sign-up, sign-in, sessions, users and API keys. The password schemas bound only the size:
// the password rules themselves are checked once, by passwordProblem in @cartwheel/auth.
import { z } from "zod";
import { authTransports, roles } from "../enums.ts";
import {
  ACCOUNT_TOKEN_MAX_LENGTH,
  API_KEY_NAME_MAX_LENGTH,
  DEFAULT_PAGE_SIZE,
  DEVICE_TOKEN_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  NAME_MAX_LENGTH,
  PASSWORD_MAX_INPUT_LENGTH,
  PASSWORD_TOO_LONG,
  REFRESH_TOKEN_MAX_LENGTH,
  USER_SEARCH_MAX_LENGTH,
} from "../limits.ts";
import { idSchema, pageSizeSchema, textSchema, timestampSchema } from "./fields.ts";

export const INVALID_EMAIL_MESSAGE = "Enter a valid email address.";

export const emailSchema = z
  .string()
  .max(EMAIL_MAX_LENGTH, { abort: true, error: INVALID_EMAIL_MESSAGE })
  .trim()
  .toLowerCase()
  .pipe(z.email(INVALID_EMAIL_MESSAGE));
export const passwordSchema = z.string().max(PASSWORD_MAX_INPUT_LENGTH, { abort: true, error: PASSWORD_TOO_LONG });
const currentPasswordSchema = passwordSchema.min(1, "Enter your password.");
const transportSchema = z.enum(authTransports).default("cookie");
export const accountNameSchema = textSchema(NAME_MAX_LENGTH).trim().min(1);

export const registerSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: accountNameSchema,
  transport: transportSchema,
});
export type RegisterInput = z.input<typeof registerSchema>;

export const loginSchema = z.object({
  email: emailSchema,
  password: currentPasswordSchema,
  transport: transportSchema,
  /** Token transport: the deviceToken an earlier sign-in returned; browsers send the cookie. */
  deviceToken: z.string().max(DEVICE_TOKEN_MAX_LENGTH, { abort: true }).optional(),
});
export type LoginInput = z.input<typeof loginSchema>;

/** Token transport sends `refreshToken`; browsers send nothing and rely on the cookie. */
export const refreshTokenSchema = z
  .object({ refreshToken: textSchema(REFRESH_TOKEN_MAX_LENGTH).min(1).optional() })
  .optional();

export const changePasswordSchema = z.object({ currentPassword: currentPasswordSchema, newPassword: passwordSchema });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;
/** Deleting your own account asks for the password again. */
export const deleteAccountSchema = z.object({ password: currentPasswordSchema });

/** A token from a mailed link (the web pages read it from the URL fragment). */
const accountTokenSchema = z
  .string()
  .max(ACCOUNT_TOKEN_MAX_LENGTH, { abort: true, error: "This link is not valid. Ask for a new one." })
  .min(1, "This link is not valid. Ask for a new one.");

export const requestPasswordResetSchema = z.object({ email: emailSchema });
export type RequestPasswordResetInput = z.input<typeof requestPasswordResetSchema>;
export const resetPasswordSchema = z.object({ token: accountTokenSchema, newPassword: passwordSchema });
export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;
export const verifyEmailSchema = z.object({ token: accountTokenSchema });
export type VerifyEmailInput = z.input<typeof verifyEmailSchema>;

export const listUsersSchema = z
  .object({
    cursor: idSchema.optional(),
    limit: pageSizeSchema,
    /**
     * The account with exactly this e-mail address (in any case) or this user id. Names and
     * addresses are sealed at rest, so no part of one can be searched for (decision 021).
     */
    q: textSchema(USER_SEARCH_MAX_LENGTH).trim().optional(),
  })
  .default({ limit: DEFAULT_PAGE_SIZE });

export const userIdSchema = z.object({ userId: idSchema });
export const setRoleSchema = z.object({ userId: idSchema, role: z.enum(roles) });

export const createApiKeySchema = z.object({
  name: textSchema(API_KEY_NAME_MAX_LENGTH).trim().min(1),
  role: z.enum(roles),
  expiresAt: timestampSchema.optional(),
});
