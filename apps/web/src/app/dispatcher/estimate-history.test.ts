import { expect, test } from 'vitest';
import { type EstimateActivitySource, estimateHistory } from './estimate-history';

const ESTIMATE = 'e1';

function row(overrides: Partial<EstimateActivitySource> & Pick<EstimateActivitySource, 'id' | 'action'>) {
  return {
    entityType: 'estimate',
    entityId: ESTIMATE,
    details: {},
    userId: 'dana',
    source: 'dispatcher_web',
    createdAt: '2026-11-20T09:00:00.000Z',
    ...overrides,
  };
}

test('only this estimate’s rows, newest first, each in plain words', () => {
  const history = estimateHistory(
    [
      row({ id: 'a1', action: 'estimate.created', createdAt: '2026-11-20T09:00:00.000Z' }),
      row({
        id: 'a2',
        action: 'estimate.status_changed',
        details: { from: 'draft', to: 'sent' },
        createdAt: '2026-11-20T10:00:00.000Z',
      }),
      row({
        id: 'a3',
        action: 'estimate.status_changed',
        details: { from: 'sent', to: 'rejected', reason: 'Too dear ' },
        createdAt: '2026-11-21T10:00:00.000Z',
      }),
      row({ id: 'other', action: 'estimate.created', entityId: 'e2' }),
      row({ id: 'job', action: 'job.created', entityType: 'job' }),
    ],
    ESTIMATE,
  );
  expect(history.map((entry) => [entry.what, entry.detail])).toEqual([
    ['Recorded as turned down by the customer', '“Too dear”'],
    ['Marked as sent to the customer', ''],
    ['Estimate drawn up', ''],
  ]);
});

test('accepting on site, revising, lapsing and edits read as what happened', () => {
  const history = estimateHistory(
    [
      row({
        id: 'b1',
        action: 'estimate.status_changed',
        details: { fromStatus: 'sent', toStatus: 'accepted' },
        source: 'mobile_app',
        createdAt: '2026-11-24T00:00:00.000Z',
      }),
      row({
        id: 'b2',
        action: 'estimate.status_changed',
        details: { from: 'sent', to: 'draft' },
        createdAt: '2026-11-23T00:00:00.000Z',
      }),
      row({
        id: 'b3',
        action: 'estimate.status_changed',
        details: { from: 'sent', to: 'expired' },
        userId: null,
        source: 'system',
        createdAt: '2026-11-22T00:00:00.000Z',
      }),
      row({
        id: 'b4',
        action: 'estimate.updated',
        details: { fields: ['lines', 'validUntil'] },
        createdAt: '2026-11-21T00:00:00.000Z',
      }),
      row({ id: 'b5', action: 'estimate.pdf_sent', createdAt: '2026-11-20T00:00:00.000Z' }),
    ],
    ESTIMATE,
  );
  expect(history.map((entry) => [entry.what, entry.detail, entry.by])).toEqual([
    ['Accepted by the customer on site', '', 'dana'],
    ['Taken back to draft to revise', '', 'dana'],
    ['Expired: its last valid day passed', '', null],
    ['Estimate changed', 'Changed lines, valid until', 'dana'],
    ['Pdf sent', '', 'dana'],
  ]);
});
