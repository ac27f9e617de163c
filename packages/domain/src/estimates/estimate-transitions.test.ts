import { describe, expect, test } from 'vitest';
import { ESTIMATE_STATUSES } from './estimate';
import {
  checkEstimateEditable,
  checkEstimateTransition,
  estimateTransitions,
  isEstimateExpiringSoon,
  isEstimateLapsed,
} from './estimate-transitions';

describe('checkEstimateTransition', () => {
  test('allows the contract moves and nothing else', () => {
    const allowed: string[] = [];
    for (const from of ESTIMATE_STATUSES) {
      for (const to of ESTIMATE_STATUSES) {
        if (checkEstimateTransition({ from, to, actor: 'system', reason: 'x' }).ok) allowed.push(`${from}->${to}`);
      }
    }
    expect(allowed.sort()).toEqual(
      ['draft->sent', 'sent->draft', 'sent->accepted', 'sent->rejected', 'sent->expired'].sort(),
    );
  });

  test('an accepted estimate is final', () => {
    expect(estimateTransitions.accepted).toEqual([]);
    expect(checkEstimateTransition({ from: 'accepted', to: 'draft', actor: 'admin' })).toMatchObject({
      ok: false,
      code: 'invalid_transition',
    });
  });

  test('only the system expires an estimate', () => {
    expect(checkEstimateTransition({ from: 'sent', to: 'expired', actor: 'dispatcher' })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(checkEstimateTransition({ from: 'sent', to: 'expired', actor: 'system' }).ok).toBe(true);
  });

  test('a contractor on site may record the customer accepting', () => {
    expect(checkEstimateTransition({ from: 'sent', to: 'accepted', actor: 'contractor' }).ok).toBe(true);
  });

  test('a rejection needs a reason', () => {
    expect(checkEstimateTransition({ from: 'sent', to: 'rejected', actor: 'dispatcher', reason: ' ' })).toMatchObject({
      ok: false,
      code: 'validation_failed',
    });
    expect(checkEstimateTransition({ from: 'sent', to: 'rejected', actor: 'dispatcher', reason: 'Too dear' }).ok).toBe(
      true,
    );
  });
});

test('only a draft is editable', () => {
  expect(checkEstimateEditable('draft').ok).toBe(true);
  for (const status of ['sent', 'accepted', 'rejected', 'expired'] as const) {
    expect(checkEstimateEditable(status)).toMatchObject({ ok: false, code: 'invalid_transition' });
  }
});

test('a sent estimate lapses the day after its last valid day', () => {
  expect(isEstimateLapsed({ status: 'sent', validUntil: '2026-11-30' }, '2026-11-30')).toBe(false);
  expect(isEstimateLapsed({ status: 'sent', validUntil: '2026-11-30' }, '2026-12-01')).toBe(true);
  expect(isEstimateLapsed({ status: 'draft', validUntil: '2026-11-30' }, '2026-12-01')).toBe(false);
});

test('expiring soon: sent, still valid, within the days given', () => {
  expect(isEstimateExpiringSoon({ status: 'sent', validUntil: '2026-12-02' }, '2026-11-30')).toBe(true);
  expect(isEstimateExpiringSoon({ status: 'sent', validUntil: '2026-12-10' }, '2026-11-30')).toBe(false);
  expect(isEstimateExpiringSoon({ status: 'sent', validUntil: '2026-11-29' }, '2026-11-30')).toBe(false);
  expect(isEstimateExpiringSoon({ status: 'accepted', validUntil: '2026-12-01' }, '2026-11-30')).toBe(false);
});
