import { COST_REASON_REQUIRED_MESSAGE } from '@fieldsync/domain';
import { expect, test } from 'vitest';
import { jobCostingChange, jobCostingTyped } from './job-costing-form';

const job = {
  id: '00000000-0000-4000-8000-00000000a0b1',
  agreedCostCents: 1_250_000,
  actualCostCents: null,
  costDifferenceReason: null,
};

test('an actual cost that differs from the agreed one is held back until there is a reason', () => {
  expect(jobCostingChange(job, { actualCost: '13,000', reason: '  ' })).toEqual({
    kind: 'invalid',
    issues: { reason: COST_REASON_REQUIRED_MESSAGE },
  });
  expect(jobCostingChange(job, { actualCost: '13,000', reason: ' Rotten subfloor ' })).toEqual({
    kind: 'change',
    patch: { actualCostCents: 1_300_000, costDifferenceReason: 'Rotten subfloor' },
    base: { actualCostCents: null, costDifferenceReason: null },
  });
});

test('the agreed amount needs no reason, and only changed fields are sent with what they were', () => {
  expect(jobCostingChange(job, { actualCost: '$12,500.00', reason: '' })).toEqual({
    kind: 'change',
    patch: { actualCostCents: 1_250_000 },
    base: { actualCostCents: null },
  });
  const costed = { ...job, actualCostCents: 1_300_000, costDifferenceReason: 'Rotten subfloor' };
  expect(jobCostingChange(costed, jobCostingTyped(costed))).toEqual({ kind: 'unchanged' });
  expect(jobCostingChange(costed, { actualCost: '13000', reason: 'Rotten subfloor and joists' })).toEqual({
    kind: 'change',
    patch: { costDifferenceReason: 'Rotten subfloor and joists' },
    base: { costDifferenceReason: 'Rotten subfloor' },
  });
  // Clearing the actual cost clears the need for a reason.
  expect(jobCostingChange(costed, { actualCost: '', reason: '' })).toMatchObject({
    kind: 'change',
    patch: { actualCostCents: null, costDifferenceReason: null },
  });
});

test('without an agreed cost any actual cost stands on its own', () => {
  expect(jobCostingChange({ ...job, agreedCostCents: null }, { actualCost: '80', reason: '' })).toMatchObject({
    kind: 'change',
    patch: { actualCostCents: 8000 },
  });
});

test('what is not money, or below zero, is said in plain words next to the amount', () => {
  expect(jobCostingChange(job, { actualCost: 'twelve', reason: '' })).toEqual({
    kind: 'invalid',
    issues: { actualCost: 'Write the actual cost as an amount, such as 1250 or 1,250.50.' },
  });
  expect(jobCostingChange(job, { actualCost: '12.345', reason: '' })).toMatchObject({ kind: 'invalid' });
  expect(jobCostingChange(job, { actualCost: '-5', reason: 'Refund' })).toEqual({
    kind: 'invalid',
    issues: { actualCost: 'The actual cost cannot be below zero.' },
  });
  const long = jobCostingChange(job, { actualCost: '13000', reason: 'x'.repeat(2001) });
  expect(long).toMatchObject({
    kind: 'invalid',
    issues: { reason: expect.stringContaining('Reason for the difference') },
  });
});

test('the form starts from the job’s saved amounts', () => {
  expect(jobCostingTyped({ actualCostCents: 123456, costDifferenceReason: 'Extra tiles' })).toEqual({
    actualCost: '1234.56',
    reason: 'Extra tiles',
  });
  expect(jobCostingTyped({ actualCostCents: null, costDifferenceReason: null })).toEqual({
    actualCost: '',
    reason: '',
  });
});
