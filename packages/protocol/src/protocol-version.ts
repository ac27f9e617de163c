/**
 * The sync protocol spoken by this build. Every request from the app sends it
 * in `PROTOCOL_HEADER`; a server that no longer speaks it answers 426
 * `client_outdated`.
 *
 * History:
 * 1 — first version: push/pull/events, mutation catalogue of SYNC.md.
 */
export const PROTOCOL_VERSION = 1;

/** Request header carrying `PROTOCOL_VERSION`. */
export const PROTOCOL_HEADER = 'X-Fieldsync-Protocol';
