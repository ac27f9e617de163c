import { expect, test } from 'vitest';
import { type EstimateListSource, estimateListItems, estimateStatusCounts, NUMBER_PENDING_TEXT } from './estimate-list';

function estimate(overrides: Partial<EstimateListSource> & Pick<EstimateListSource, 'id'>): EstimateListSource {
  return {
    number: `EST-20261120-${overrides.id.toUpperCase().padEnd(6, 'X')}`,
    customerId: 'cu1',
    title: 'New bathroom',
    totalCents: 1250000,
    currency: 'USD',
    status: 'draft',
    validUntil: '2026-12-31',
    createdBy: 'dana',
    createdAt: '2026-11-20T09:00:00.000Z',
    deletedAt: null,
    ...overrides,
  };
}

const context = {
  today: '2026-11-30',
  status: 'all' as const,
  customerName: (id: string) => (id === 'cu1' ? 'Acme Homes' : undefined),
  userName: (id: string) => (id === 'dana' ? 'Dana' : undefined),
  locale: 'en-US',
};

test('open estimates (drafts and sent) come first, soonest last valid day first; answered ones after, latest first', () => {
  const rows = [
    estimate({ id: 'acc1', status: 'accepted', validUntil: '2026-11-10' }),
    estimate({ id: 'snt1', status: 'sent', validUntil: '2026-12-20' }),
    estimate({ id: 'rej1', status: 'rejected', validUntil: '2026-12-15' }),
    estimate({ id: 'drf1', status: 'draft', validUntil: '2026-12-05' }),
    estimate({ id: 'exp1', status: 'expired', validUntil: '2026-11-01' }),
    estimate({ id: 'snt2', status: 'sent', validUntil: '2026-12-01' }),
  ];
  expect(estimateListItems(rows, context).map((item) => item.id)).toEqual([
    'snt2',
    'drf1',
    'snt1',
    'rej1',
    'acc1',
    'exp1',
  ]);
});

test('the status filter keeps one status; removed estimates never show', () => {
  const rows = [
    estimate({ id: 'snt1', status: 'sent' }),
    estimate({ id: 'drf1', status: 'draft' }),
    estimate({ id: 'snt2', status: 'sent', deletedAt: '2026-11-29T10:00:00.000Z' }),
  ];
  expect(estimateListItems(rows, { ...context, status: 'sent' }).map((item) => item.id)).toEqual(['snt1']);
  expect(estimateStatusCounts(rows)).toEqual({ all: 2, draft: 1, sent: 1, accepted: 0, rejected: 0, expired: 0 });
});

test('a sent estimate whose last valid day is within three days of today is flagged; a draft is not', () => {
  const rows = [
    estimate({ id: 'soon', status: 'sent', validUntil: '2026-12-03' }),
    estimate({ id: 'later', status: 'sent', validUntil: '2026-12-04' }),
    estimate({ id: 'today', status: 'sent', validUntil: '2026-11-30' }),
    estimate({ id: 'draft', status: 'draft', validUntil: '2026-12-01' }),
  ];
  const flagged = Object.fromEntries(estimateListItems(rows, context).map((item) => [item.id, item.expiresSoon]));
  expect(flagged).toEqual({ today: true, draft: false, soon: true, later: false });
});

test('each line reads in words: money in the estimate’s currency, names, and a number not drawn yet', () => {
  const [item, other] = estimateListItems(
    [
      estimate({ id: 'e1', number: '', totalCents: 123456, currency: 'EUR', customerId: 'gone', createdBy: null }),
      estimate({ id: 'e2', validUntil: '2027-01-31' }),
    ],
    context,
  );
  expect(item).toMatchObject({
    numberText: NUMBER_PENDING_TEXT,
    numberPending: true,
    statusText: 'Draft',
    totalText: '€1,234.56',
    customerName: 'A customer not on this computer',
    createdByName: 'The system',
  });
  expect(other).toMatchObject({
    numberText: 'EST-20261120-E2XXXX',
    numberPending: false,
    totalText: '$12,500.00',
    customerName: 'Acme Homes',
    createdByName: 'Dana',
  });
});
