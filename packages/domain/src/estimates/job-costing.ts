import type { RuleCheck } from '../rules/rule-check';

/** A job's money: what the customer agreed to (from the accepted estimate) and what it really cost. */
export interface JobCosts {
  agreedCostCents: number | null;
  actualCostCents: number | null;
  costDifferenceReason: string | null;
}

export const COST_REASON_REQUIRED_MESSAGE =
  'The actual cost differs from the agreed cost. Say why, so the office can explain it to the customer.';

/** An actual cost that differs from the agreed one needs a reason (CONTRACTS.md, "Estimates and job costing"). */
export function checkJobCosts(costs: JobCosts): RuleCheck<'validation_failed'> {
  const differs =
    costs.actualCostCents !== null && costs.agreedCostCents !== null && costs.actualCostCents !== costs.agreedCostCents;
  if (differs && !costs.costDifferenceReason?.trim()) {
    return { ok: false, code: 'validation_failed', message: COST_REASON_REQUIRED_MESSAGE };
  }
  return { ok: true };
}

/** What a completed job earned: its actual cost, else the agreed one, else nothing known. */
export function jobEarnedCents(job: Pick<JobCosts, 'agreedCostCents' | 'actualCostCents'>): number | null {
  return job.actualCostCents ?? job.agreedCostCents;
}

/**
 * Per customer: how many jobs they have had (cancelled ones aside) and what
 * the completed ones came to (seed 002's `total_projects` and `total_spent`).
 */
export function customerTotals(
  jobs: ReadonlyArray<
    { status: string; deletedAt?: string | null } & Pick<JobCosts, 'agreedCostCents' | 'actualCostCents'>
  >,
): { jobCount: number; completedCount: number; totalSpentCents: number } {
  let jobCount = 0;
  let completedCount = 0;
  let totalSpentCents = 0;
  for (const job of jobs) {
    if (job.deletedAt || job.status === 'cancelled') continue;
    jobCount += 1;
    if (job.status !== 'completed') continue;
    completedCount += 1;
    totalSpentCents += jobEarnedCents(job) ?? 0;
  }
  return { jobCount, completedCount, totalSpentCents };
}
