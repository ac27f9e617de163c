import { z } from 'zod';

/**
 * Every error code client and server exchange — one closed set. The HTTP
 * status is chosen at the server's edge only; domain code returns codes.
 */
export const ERROR_CODES = {
  /** No or bad access token (401): refresh and retry. */
  unauthorized: 'unauthorized',
  /** Wrong email or password. */
  invalid_credentials: 'invalid_credentials',
  /** Too many attempts; retry later. */
  rate_limited: 'rate_limited',
  /** Signed in, but not allowed to do this. */
  forbidden: 'forbidden',
  not_found: 'not_found',
  /** The request body is malformed (bad JSON, wrong types, unknown envelope fields). */
  invalid_body: 'invalid_body',
  /** The request body is over `MAX_PUSH_BYTES`. */
  body_too_large: 'body_too_large',
  /** A push carries more than `MAX_PUSH_MUTATIONS`. */
  too_many_mutations: 'too_many_mutations',
  /** The server no longer speaks this client's protocol (426): update the app, keep the outbox. */
  client_outdated: 'client_outdated',
  /** The client id belongs to another user (403). */
  client_id_taken: 'client_id_taken',
  /** The mutation name is not in the catalogue. */
  unknown_mutation: 'unknown_mutation',
  /** The mutation's args do not match its schema. */
  invalid_args: 'invalid_args',
  /** The state machine does not allow this status change. */
  invalid_transition: 'invalid_transition',
  /** The seq skips ahead of lastSeq + 1; the response says `expectedSeq`. */
  seq_gap: 'seq_gap',
  /** A create reused an existing id with different content. */
  id_conflict: 'id_conflict',
  /** The assignment overlaps a live assignment of the same contractor. */
  double_booked: 'double_booked',
  /** Well-formed, but breaks a domain rule (e.g. a job for an archived customer). */
  validation_failed: 'validation_failed',
  /** Something broke on the server; retrying may help. */
  internal: 'internal',
  /** One pushed mutation failed on the server for a reason of ours; the rest of the push stands. */
  internal_error: 'internal_error',
  /** The database cannot be reached (503, with `Retry-After`): keep the change and retry later. */
  db_unavailable: 'db_unavailable',
  /** The account was deactivated or removed (401): refresh is refused too; sign-in cannot help. */
  account_disabled: 'account_disabled',
  /** Sign-up is turned off on this server (`SIGNUP=closed`, 403). */
  signup_closed: 'signup_closed',
  /** Another account already uses this email (409). */
  email_taken: 'email_taken',
  /** The invite or reset link was used, replaced, expired or never existed (400). */
  invalid_invite: 'invalid_invite',
  /** A job that requires the customer's signature cannot be completed without one. */
  signature_required: 'signature_required',
  /** The uploaded bytes do not hash to the attachment's `sha256` (409): they were discarded; upload again. */
  checksum_mismatch: 'checksum_mismatch',
  /** The uploaded bytes are not what the attachment's `contentType` says (415): they were discarded. */
  content_type_mismatch: 'content_type_mismatch',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

const ERROR_CODE_VALUES = Object.values(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];
export const errorCodeSchema = z.enum(ERROR_CODE_VALUES);

/** True for a code this build knows. */
export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODE_VALUES as readonly string[]).includes(code);
}

/**
 * The body of every non-2xx answer: `{ error: { code, message, details? } }`.
 * `code` is read as any string so that an older app still understands the
 * rest of an answer carrying a code added later; check it with `isErrorCode`.
 */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().min(1),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
