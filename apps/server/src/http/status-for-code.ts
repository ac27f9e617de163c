/** HTTP statuses for the shared error codes: chosen here, at the edge, and nowhere else. */
import type { ErrorCode } from '@fieldsync/protocol';

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  unauthorized: 401,
  account_disabled: 401,
  invalid_credentials: 401,
  forbidden: 403,
  signup_closed: 403,
  client_id_taken: 403,
  not_found: 404,
  email_taken: 409,
  checksum_mismatch: 409,
  content_type_mismatch: 415,
  // Outside a push (where it travels in a 200), a request that breaks a rule of the current state.
  validation_failed: 409,
  rate_limited: 429,
  client_outdated: 426,
  internal: 500,
  db_unavailable: 503,
};

/** The HTTP status for an error code; anything else the client sent wrong is a 400. */
export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 400;
}

/** Seconds a client should wait before retrying, sent as `Retry-After`, for the codes that have one. */
export const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = {
  // The server probes every half second, so it is back within a second of the database; a few
  // seconds keep a fleet of phones from retrying in lockstep while the outage lasts.
  db_unavailable: 5,
};
