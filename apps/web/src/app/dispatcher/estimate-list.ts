import { type EstimateStatus, formatCents, isEstimateExpiringSoon } from '@fieldsync/domain';
import { ESTIMATE_STATUS_LABEL } from '../estimates/estimate-words';

// One set of words for an estimate's status, on the phone and in the office.
export { ESTIMATE_STATUS_LABEL };

/** The status filter of the list: one status, or all of them. */
export type EstimateStatusFilter = EstimateStatus | 'all';

/** What the list needs of an estimate row. */
export interface EstimateListSource {
  id: string;
  number: string;
  customerId: string;
  title: string;
  totalCents: number;
  currency: string;
  status: EstimateStatus;
  validUntil: string;
  createdBy: string | null;
  createdAt: string;
  deletedAt?: string | null;
}

/** One line of the office's estimate list, ready to show. */
export interface EstimateListItem {
  id: string;
  /** The number, or words saying the server has not drawn it yet. */
  numberText: string;
  numberPending: boolean;
  status: EstimateStatus;
  statusText: string;
  customerId: string;
  customerName: string;
  title: string;
  totalText: string;
  validUntil: string;
  createdByName: string;
  /** Sent, and its last valid day is within three days of today. */
  expiresSoon: boolean;
}

/** Shown where a number would be, until the server has drawn one. */
export const NUMBER_PENDING_TEXT = 'Number assigned when it reaches the server';

/** Drafts and sent estimates still wait on someone; answered ones are history. */
const OPEN_STATUSES: ReadonlySet<EstimateStatus> = new Set(['draft', 'sent']);

/**
 * The office's order: estimates still open (drafts and sent) first, the
 * soonest last valid day first, as that is the work to chase; then the
 * answered and lapsed ones, the latest validity first. Ties go newest first.
 */
export function compareEstimatesForOffice(a: EstimateListSource, b: EstimateListSource): number {
  const openA = OPEN_STATUSES.has(a.status);
  const openB = OPEN_STATUSES.has(b.status);
  if (openA !== openB) return openA ? -1 : 1;
  const byValidity = openA ? a.validUntil.localeCompare(b.validUntil) : b.validUntil.localeCompare(a.validUntil);
  return byValidity || b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);
}

/**
 * The estimate list as the office sees it: removed rows left out, the
 * status filter applied, in {@link compareEstimatesForOffice} order, with
 * names and money in words. `today` is the company's calendar day.
 */
export function estimateListItems<E extends EstimateListSource>(
  estimates: readonly E[],
  context: {
    today: string;
    status: EstimateStatusFilter;
    customerName: (customerId: string) => string | undefined;
    userName: (userId: string) => string | undefined;
    locale?: string;
  },
): EstimateListItem[] {
  return estimates
    .filter((estimate) => !estimate.deletedAt && (context.status === 'all' || estimate.status === context.status))
    .sort(compareEstimatesForOffice)
    .map((estimate) => ({
      id: estimate.id,
      numberText: estimate.number || NUMBER_PENDING_TEXT,
      numberPending: !estimate.number,
      status: estimate.status,
      statusText: ESTIMATE_STATUS_LABEL[estimate.status],
      customerId: estimate.customerId,
      customerName: context.customerName(estimate.customerId) ?? 'A customer not on this computer',
      title: estimate.title,
      totalText: formatCents(estimate.totalCents, estimate.currency, context.locale),
      validUntil: estimate.validUntil,
      createdByName: estimate.createdBy ? (context.userName(estimate.createdBy) ?? 'Someone') : 'The system',
      expiresSoon: isEstimateExpiringSoon(estimate, context.today),
    }));
}

/** How many estimates have each status (removed ones left out), for the filter's counts. */
export function estimateStatusCounts(
  estimates: readonly Pick<EstimateListSource, 'status' | 'deletedAt'>[],
): Record<EstimateStatusFilter, number> {
  const counts: Record<EstimateStatusFilter, number> = {
    all: 0,
    draft: 0,
    sent: 0,
    accepted: 0,
    rejected: 0,
    expired: 0,
  };
  for (const estimate of estimates) {
    if (estimate.deletedAt) continue;
    counts.all += 1;
    counts[estimate.status] += 1;
  }
  return counts;
}
