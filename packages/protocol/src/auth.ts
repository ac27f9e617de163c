import { emailSchema, idSchema, roleSchema, TEXT_LIMITS, textSchema, timeZoneSchema } from '@fieldsync/domain';
import { z } from 'zod';

/** Longest password accepted; hashing a longer one would only cost the server time. */
const MAX_PASSWORD_LENGTH = 1024;
/** Longest refresh token accepted; ours are `<org id>.<43 characters>`. */
const MAX_REFRESH_TOKEN_LENGTH = 512;

/** `POST /api/auth/login` body. Text that cannot be stored or is too long is a 400, never a server error. */
export const loginRequestSchema = z.strictObject({
  email: textSchema({ trim: true, min: 3, max: TEXT_LIMITS.email }),
  password: textSchema({ min: 1, max: MAX_PASSWORD_LENGTH }),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** The signed-in person, with what screens need of their organisation. */
export const sessionUserSchema = z.object({
  id: idSchema,
  orgId: idSchema,
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  /** The organisation's IANA time zone: days and times are shown in it. */
  timeZone: z.string(),
  organizationName: z.string(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** Answer to a login: a short-lived access token, a rotating refresh token and the user. */
export const loginResponseSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
  user: sessionUserSchema,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** `POST /api/auth/refresh` body. The old refresh token is spent by this call. */
export const refreshRequestSchema = z.strictObject({
  refreshToken: textSchema({ min: 1, max: MAX_REFRESH_TOKEN_LENGTH }),
});
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

/** Answer to a refresh: the same shape as a login. */
export const refreshResponseSchema = loginResponseSchema;
export type RefreshResponse = LoginResponse;

/** Shortest password a person may choose. The app's strength meter asks for more; the server holds the floor. */
export const MIN_PASSWORD_LENGTH = 8;

/** A password being chosen (sign-up, accepting an invite, changing it). */
export const newPasswordSchema = textSchema({ min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH });

/** `POST /api/orgs`: a new company and its first admin. Answered like a login. */
export const signupRequestSchema = z.strictObject({
  companyName: textSchema({ trim: true, min: 1, max: TEXT_LIMITS.name }),
  timeZone: timeZoneSchema,
  adminName: textSchema({ trim: true, min: 1, max: TEXT_LIMITS.name }),
  email: emailSchema,
  password: newPasswordSchema,
});
export type SignupRequest = z.infer<typeof signupRequestSchema>;

/** Longest invite token accepted; ours are 43 characters. */
const MAX_INVITE_TOKEN_LENGTH = 256;

/** `POST /api/auth/accept-invite`: the token from the link and the password the person chose. */
export const acceptInviteRequestSchema = z.strictObject({
  token: textSchema({ trim: true, min: 1, max: MAX_INVITE_TOKEN_LENGTH }),
  password: newPasswordSchema,
});
export type AcceptInviteRequest = z.infer<typeof acceptInviteRequestSchema>;

/** `POST /api/users/:id/invite-link`: a single-use link; asking again replaces the previous one. */
export const inviteLinkResponseSchema = z.object({
  url: z.string().min(1),
  token: z.string().min(1),
  expiresAt: z.string().min(1),
  /** Whether the link was also e-mailed (the server has `SMTP_URL`). */
  emailed: z.boolean().optional(),
});
export type InviteLinkResponse = z.infer<typeof inviteLinkResponseSchema>;

/** `POST /api/auth/password`: a signed-in person changes their own password. Answered like a login. */
export const changePasswordRequestSchema = z.strictObject({
  currentPassword: textSchema({ min: 1, max: MAX_PASSWORD_LENGTH }),
  newPassword: newPasswordSchema,
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;
