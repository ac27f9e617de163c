import type { Role } from '../enums/role';
import type { RuleCheck } from '../rules/rule-check';
import type { EstimateStatus } from './estimate';

/**
 * Who moves an estimate: a person (the office, or the contractor on site for
 * a customer of one of their live jobs), or `system`, which expires sent
 * estimates past their validity.
 */
export type EstimateActor = Role | 'system';

/**
 * The estimate state machine (seed 002):
 *
 *   draft ─▶ sent ─▶ accepted | rejected | expired
 *   sent ─▶ draft (to revise)
 *
 * `expired` is the scheduler's alone. Accepted, rejected and expired are final.
 */
export const estimateTransitions: { readonly [S in EstimateStatus]: readonly EstimateStatus[] } = {
  draft: ['sent'],
  sent: ['draft', 'accepted', 'rejected', 'expired'],
  accepted: [],
  rejected: [],
  expired: [],
};

const STATUS_WORDS: { readonly [S in EstimateStatus]: string } = {
  draft: 'a draft',
  sent: 'sent',
  accepted: 'accepted',
  rejected: 'rejected',
  expired: 'expired',
};

/** Whether `actor` may move an estimate from `from` to `to`, with plain words when not. */
export function checkEstimateTransition(input: {
  from: EstimateStatus;
  to: EstimateStatus;
  actor: EstimateActor;
  reason?: string | null;
}): RuleCheck<'invalid_transition' | 'forbidden' | 'validation_failed'> {
  const { from, to, actor } = input;
  if (!estimateTransitions[from].includes(to)) {
    return {
      ok: false,
      code: 'invalid_transition',
      message: `This estimate is ${STATUS_WORDS[from]}; it cannot become ${STATUS_WORDS[to]}.`,
    };
  }
  if (to === 'expired' && actor !== 'system') {
    return { ok: false, code: 'forbidden', message: 'An estimate expires by itself once its validity has passed.' };
  }
  if (to === 'rejected' && !input.reason?.trim()) {
    return { ok: false, code: 'validation_failed', message: 'Say why the customer turned the estimate down.' };
  }
  return { ok: true };
}

/** Lines and terms change only on a draft: what the customer was sent stays as sent. */
export function checkEstimateEditable(status: EstimateStatus): RuleCheck<'invalid_transition'> {
  if (status === 'draft') return { ok: true };
  return {
    ok: false,
    code: 'invalid_transition',
    message: `This estimate is ${STATUS_WORDS[status]}. Only a draft can be changed; move it back to draft to revise it.`,
  };
}

/**
 * True when a sent estimate's offer has lapsed: `today` (the company's
 * calendar day, `YYYY-MM-DD`) is after its last valid day.
 */
export function isEstimateLapsed(estimate: { status: EstimateStatus; validUntil: string }, today: string): boolean {
  return estimate.status === 'sent' && estimate.validUntil < today;
}

/** A sent estimate whose last valid day is within `days` of `today` (for the office's "expiring soon" flag). */
export function isEstimateExpiringSoon(
  estimate: { status: EstimateStatus; validUntil: string },
  today: string,
  days = 3,
): boolean {
  if (estimate.status !== 'sent' || estimate.validUntil < today) return false;
  const limit = new Date(`${today}T00:00:00Z`);
  limit.setUTCDate(limit.getUTCDate() + days);
  return estimate.validUntil <= limit.toISOString().slice(0, 10);
}
