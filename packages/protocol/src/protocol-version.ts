/**
 * The sync protocol spoken by this build. Every request from the app sends it
 * in `PROTOCOL_HEADER`.
 *
 * A server accepts every version from `MIN_SUPPORTED_PROTOCOL_VERSION` to
 * `PROTOCOL_VERSION`. Bump `PROTOCOL_VERSION` for any wire change (the
 * fingerprint test in `protocol-version.test.ts` fails until you do); raise
 * `MIN_SUPPORTED_PROTOCOL_VERSION` to it as well only when the server can no
 * longer serve older apps. Add a line below either way.
 *
 * History:
 * 1 — first version: push/pull/events, mutation catalogue of docs/sync-protocol.md.
 * 2 — company administration: the `organizations` table, `users` rows as
 *     `active`/`invitedAt`/`lastSeenAt`, `user.*` and `org.update` mutations.
 * 3 — the dispatcher's day: `assignment.reschedule`; jobs gain
 *     `requiredSkills` and `requiresSignature` (rows, `job.create`,
 *     `job.update`). Additive: a version-2 app never sends the new mutation
 *     or fields and ignores the new row fields, so the minimum stays 2.
 * 4 — alerts: `alertRule.*`, `alertDelivery.retry` and `notification.markRead`;
 *     the `alertDeliveries` table; `alertRules` and `notifications` rows in
 *     their new shape (`event`, `body`, `jobId`, conditions as an object).
 * 5 — proof of work: the `attachments` table, `attachment.add` and
 *     `attachment.remove`; jobs gain `parentJobId` (rows and `job.create`,
 *     which a contractor may send for a follow-up of a job they hold);
 *     codes `signature_required`, `checksum_mismatch`, `content_type_mismatch`.
 * 6 — estimates and job costing: the `estimates` and `priceListItems` tables,
 *     `estimate.*` and `priceListItem.*`; jobs gain `agreedCostCents`,
 *     `actualCostCents` and `costDifferenceReason` (rows and `job.update`);
 *     alert events `estimate.created` and `estimate.status_changed`.
 */
export const PROTOCOL_VERSION = 6;

/**
 * The oldest app protocol the server still serves; older apps get 426
 * `client_outdated`, keep their outbox and update.
 *
 * History:
 * 1 — first version.
 * 2 — `users` rows changed shape: a version-1 app could not read a pull.
 * 4 — `notifications` rows changed shape and pulls carry a new table: a
 *     version-3 app would refuse such a pull. (Before 4 nothing wrote those
 *     rows, so an updated app loses nothing.)
 * 5 — pulls carry the new `attachments` table, which a version-4 app would
 *     refuse.
 * 6 — pulls carry the new `estimates` and `priceListItems` tables, which a
 *     version-5 app would refuse.
 */
export const MIN_SUPPORTED_PROTOCOL_VERSION = 6;

/** Request header carrying `PROTOCOL_VERSION`. */
export const PROTOCOL_HEADER = 'X-Fieldsync-Protocol';

/**
 * What a server makes of an app's `PROTOCOL_HEADER`: `supported` within
 * `[min, current]`; `too_old` below it (the app must update); `too_new` above
 * it (the app was updated before this server: nothing it sends can be trusted
 * to mean the same here, so it must wait); `unreadable` when the value is not
 * a whole number.
 */
export type ProtocolSupport = 'supported' | 'too_old' | 'too_new' | 'unreadable';

/** Classifies an app's protocol header value against the range this build serves. */
export function protocolSupport(
  header: string,
  range: { min: number; current: number } = { min: MIN_SUPPORTED_PROTOCOL_VERSION, current: PROTOCOL_VERSION },
): ProtocolSupport {
  const value = header.trim();
  if (!/^\d{1,9}$/.test(value)) return 'unreadable';
  const version = Number(value);
  if (version < range.min) return 'too_old';
  if (version > range.current) return 'too_new';
  return 'supported';
}
