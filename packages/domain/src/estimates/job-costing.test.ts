import { expect, test } from 'vitest';
import { checkJobCosts, customerTotals, jobEarnedCents } from './job-costing';

test('an actual cost that differs from the agreed one needs a reason', () => {
  expect(checkJobCosts({ agreedCostCents: 10000, actualCostCents: 12000, costDifferenceReason: null })).toMatchObject({
    ok: false,
    code: 'validation_failed',
  });
  expect(checkJobCosts({ agreedCostCents: 10000, actualCostCents: 12000, costDifferenceReason: ' ' }).ok).toBe(false);
  expect(
    checkJobCosts({ agreedCostCents: 10000, actualCostCents: 12000, costDifferenceReason: 'Rotten subfloor' }).ok,
  ).toBe(true);
  expect(checkJobCosts({ agreedCostCents: 10000, actualCostCents: 10000, costDifferenceReason: null }).ok).toBe(true);
  expect(checkJobCosts({ agreedCostCents: 10000, actualCostCents: null, costDifferenceReason: null }).ok).toBe(true);
  // Nothing was agreed, so there is nothing to differ from.
  expect(checkJobCosts({ agreedCostCents: null, actualCostCents: 500, costDifferenceReason: null }).ok).toBe(true);
});

test('a job earns its actual cost, else its agreed one', () => {
  expect(jobEarnedCents({ agreedCostCents: 100, actualCostCents: 120 })).toBe(120);
  expect(jobEarnedCents({ agreedCostCents: 100, actualCostCents: null })).toBe(100);
  expect(jobEarnedCents({ agreedCostCents: null, actualCostCents: null })).toBeNull();
});

test('customer totals count live jobs and sum the completed ones', () => {
  const totals = customerTotals([
    { status: 'completed', agreedCostCents: 10000, actualCostCents: 12000 },
    { status: 'completed', agreedCostCents: 5000, actualCostCents: null },
    { status: 'scheduled', agreedCostCents: 7000, actualCostCents: null },
    { status: 'cancelled', agreedCostCents: 9000, actualCostCents: null },
    { status: 'completed', agreedCostCents: 9000, actualCostCents: null, deletedAt: '2026-11-01T00:00:00Z' },
  ]);
  expect(totals).toEqual({ jobCount: 3, completedCount: 2, totalSpentCents: 17000 });
});
