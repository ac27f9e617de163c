import { ESTIMATE_STATUSES, type EstimateStatus } from '@fieldsync/domain';
import { fieldWords } from './format';

/** What the history needs of an activity-log row. */
export interface EstimateActivitySource {
  id: string;
  entityType: string;
  entityId: string;
  action: string;
  details: unknown;
  userId: string | null;
  source: string;
  createdAt: string;
}

/** One line of an estimate's history, in plain words. */
export interface EstimateHistoryEntry {
  id: string;
  at: string;
  /** Who did it; null is the system (an estimate lapsing by itself). */
  by: string | null;
  what: string;
  /** More words (a reason, the fields changed); '' when there is nothing to add. */
  detail: string;
}

const isStatus = (value: unknown): value is EstimateStatus =>
  typeof value === 'string' && (ESTIMATE_STATUSES as readonly string[]).includes(value);

/** What moving to a status means, as a sentence start. */
function statusMoveWords(from: EstimateStatus | undefined, to: EstimateStatus, onSite: boolean): string {
  switch (to) {
    case 'sent':
      return 'Marked as sent to the customer';
    case 'draft':
      return from === 'sent' ? 'Taken back to draft to revise' : 'Made a draft';
    case 'accepted':
      return onSite ? 'Accepted by the customer on site' : 'Recorded as accepted by the customer';
    case 'rejected':
      return 'Recorded as turned down by the customer';
    case 'expired':
      return 'Expired: its last valid day passed';
  }
}

function detailsOf(details: unknown): Record<string, unknown> {
  return typeof details === 'object' && details !== null && !Array.isArray(details)
    ? (details as Record<string, unknown>)
    : {};
}

/** The names of the fields a change touched, when the row says which. */
function changedFields(details: Record<string, unknown>): string[] {
  const named = details.fields ?? details.changed;
  if (Array.isArray(named)) return named.filter((field): field is string => typeof field === 'string');
  const patch = details.patch;
  if (typeof patch === 'object' && patch !== null) return Object.keys(patch);
  return [];
}

/**
 * An estimate's history from the activity log: its rows about this estimate
 * (`entityType` 'estimate'), newest first, each in words. An action this
 * screen does not know still shows, named from its code.
 */
export function estimateHistory(rows: readonly EstimateActivitySource[], estimateId: string): EstimateHistoryEntry[] {
  return rows
    .filter((row) => row.entityType === 'estimate' && row.entityId === estimateId)
    .map((row) => {
      const details = detailsOf(row.details);
      const base = { id: row.id, at: row.createdAt, by: row.userId };
      switch (row.action) {
        case 'estimate.created':
          return { ...base, what: 'Estimate drawn up', detail: '' };
        case 'estimate.updated': {
          const fields = changedFields(details);
          return {
            ...base,
            what: 'Estimate changed',
            detail: fields.length ? `Changed ${fields.map((field) => fieldWords(field).toLowerCase()).join(', ')}` : '',
          };
        }
        case 'estimate.status_changed': {
          const to = isStatus(details.to) ? details.to : isStatus(details.toStatus) ? details.toStatus : undefined;
          const from = isStatus(details.from)
            ? details.from
            : isStatus(details.fromStatus)
              ? details.fromStatus
              : undefined;
          const reason = typeof details.reason === 'string' && details.reason.trim() ? details.reason.trim() : '';
          return {
            ...base,
            what: to ? statusMoveWords(from, to, row.source === 'mobile_app') : 'Status changed',
            detail: reason ? `“${reason}”` : '',
          };
        }
        default:
          return { ...base, what: fieldWords(row.action.replace(/^estimate\./, '').replaceAll('.', '_')), detail: '' };
      }
    })
    .sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
}
