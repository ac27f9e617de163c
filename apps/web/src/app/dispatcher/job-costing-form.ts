import { checkJobCosts, type JobCosts, parseMoneyToCents } from '@fieldsync/domain';
import { mutationArgsSchemas } from '@fieldsync/protocol';
import { issuesByField } from './form-issues';

/** What the office typed in the costing form. */
export interface JobCostingTyped {
  /** The actual cost as money ("1,250.50"); blank clears it. */
  actualCost: string;
  /** Why the actual cost differs from the agreed one; blank when it does not. */
  reason: string;
}

/** The form's fields, for messages next to them. */
export type JobCostingField = 'actualCost' | 'reason';

export type JobCostingChange =
  | { kind: 'unchanged' }
  | { kind: 'invalid'; issues: Partial<Record<JobCostingField | '', string>> }
  | {
      kind: 'change';
      patch: Partial<Pick<JobCosts, 'actualCostCents' | 'costDifferenceReason'>>;
      base: Partial<Pick<JobCosts, 'actualCostCents' | 'costDifferenceReason'>>;
    };

const FIELD_OF: Readonly<Record<string, JobCostingField>> = {
  actualCostCents: 'actualCost',
  costDifferenceReason: 'reason',
};

const LABELS = { actualCostCents: 'Actual cost', costDifferenceReason: 'Reason for the difference' };

/** The form's starting text for a job. */
export function jobCostingTyped(job: Pick<JobCosts, 'actualCostCents' | 'costDifferenceReason'>): JobCostingTyped {
  return {
    actualCost: job.actualCostCents === null ? '' : (job.actualCostCents / 100).toFixed(2),
    reason: job.costDifferenceReason ?? '',
  };
}

/**
 * Reads the costing form against the job as this computer has it: the
 * `job.update` patch (only the fields that changed) and its base, or the
 * problems in plain words, checked before anything is sent: an amount that
 * is not money, and a difference from the agreed cost without a reason
 * (`checkJobCosts`, the server's own rule).
 */
export function jobCostingChange(job: JobCosts & { id: string }, typed: JobCostingTyped): JobCostingChange {
  const text = typed.actualCost.trim();
  const actualCostCents = text === '' ? null : parseMoneyToCents(text);
  if (actualCostCents === undefined) {
    return { kind: 'invalid', issues: { actualCost: 'Write the actual cost as an amount, such as 1250 or 1,250.50.' } };
  }
  if (actualCostCents !== null && actualCostCents < 0) {
    return { kind: 'invalid', issues: { actualCost: 'The actual cost cannot be below zero.' } };
  }
  const costDifferenceReason = typed.reason.trim() === '' ? null : typed.reason.trim();
  const check = checkJobCosts({ agreedCostCents: job.agreedCostCents, actualCostCents, costDifferenceReason });
  if (!check.ok) return { kind: 'invalid', issues: { reason: check.message } };

  const patch: Extract<JobCostingChange, { kind: 'change' }>['patch'] = {};
  const base: Extract<JobCostingChange, { kind: 'change' }>['base'] = {};
  if (actualCostCents !== job.actualCostCents) {
    patch.actualCostCents = actualCostCents;
    base.actualCostCents = job.actualCostCents;
  }
  if (costDifferenceReason !== (job.costDifferenceReason ?? null)) {
    patch.costDifferenceReason = costDifferenceReason;
    base.costDifferenceReason = job.costDifferenceReason ?? null;
  }
  if (Object.keys(patch).length === 0) return { kind: 'unchanged' };

  const parsed = mutationArgsSchemas['job.update'].safeParse({ id: job.id, patch, base });
  if (!parsed.success) {
    const issues: Partial<Record<JobCostingField | '', string>> = {};
    for (const [field, message] of Object.entries(issuesByField(parsed.error, LABELS))) {
      issues[FIELD_OF[field] ?? ''] ??= message;
    }
    return { kind: 'invalid', issues };
  }
  return { kind: 'change', patch, base };
}
