import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  estimateMonths,
  isCalendarMonth,
  monthsInRange,
  nextCalendarMonth,
  type RevenueInput,
  revenueByContractor,
  splitCents,
} from './estimate-reports';

const DENVER = 'America/Denver';

describe('calendar months', () => {
  test('reads YYYY-MM with a real month only', () => {
    expect(isCalendarMonth('2026-12')).toBe(true);
    expect(isCalendarMonth('2026-13')).toBe(false);
    expect(isCalendarMonth('2026-00')).toBe(false);
    expect(isCalendarMonth('2026-1')).toBe(false);
    expect(isCalendarMonth('2026-12-01')).toBe(false);
  });
  test('steps over the new year and counts months both ends included', () => {
    expect(nextCalendarMonth('2026-12')).toBe('2027-01');
    expect(nextCalendarMonth('2026-02')).toBe('2026-03');
    expect(monthsInRange('2026-11', '2027-02')).toBe(4);
    expect(monthsInRange('2026-11', '2026-11')).toBe(1);
    expect(monthsInRange('2026-12', '2026-11')).toBe(0);
  });
});

describe('estimateMonths', () => {
  test('counts estimates in the month they were sent, on the company’s calendar', () => {
    const months = estimateMonths({
      estimates: [
        // Nov 30, 22:00 in Denver: November there, though December in UTC.
        { status: 'accepted', sentAt: '2026-12-01T05:00:00.000Z' },
        { status: 'rejected', sentAt: '2026-11-02T16:00:00.000Z' },
        { status: 'sent', sentAt: '2026-11-20T16:00:00.000Z' },
        // Dec 1, 00:30 in Denver.
        { status: 'expired', sentAt: '2026-12-01T07:30:00.000Z' },
        { status: 'accepted', sentAt: '2026-12-15T16:00:00.000Z' },
        { status: 'accepted', sentAt: '2026-12-16T16:00:00.000Z' },
        // Not counted: never sent, pulled back to draft, removed, outside the range.
        { status: 'draft', sentAt: null },
        { status: 'draft', sentAt: '2026-12-10T16:00:00.000Z' },
        { status: 'accepted', sentAt: '2026-12-10T16:00:00.000Z', deletedAt: '2026-12-11T16:00:00.000Z' },
        { status: 'accepted', sentAt: '2026-10-31T16:00:00.000Z' },
        { status: 'accepted', sentAt: '2027-02-01T16:00:00.000Z' },
      ],
      timeZone: DENVER,
      from: '2026-11',
      to: '2027-01',
    });
    expect(months).toEqual([
      { month: '2026-11', sent: 3, accepted: 1, rejected: 1, expired: 0, acceptanceRate: 0.5 },
      { month: '2026-12', sent: 3, accepted: 2, rejected: 0, expired: 1, acceptanceRate: 2 / 3 },
      { month: '2027-01', sent: 0, accepted: 0, rejected: 0, expired: 0, acceptanceRate: null },
    ]);
  });

  test('a month with estimates still out has no rate yet', () => {
    const [month] = estimateMonths({
      estimates: [{ status: 'sent', sentAt: '2026-11-20T16:00:00.000Z' }],
      timeZone: DENVER,
      from: '2026-11',
      to: '2026-11',
    });
    expect(month).toEqual({ month: '2026-11', sent: 1, accepted: 0, rejected: 0, expired: 0, acceptanceRate: null });
  });
});

describe('splitCents', () => {
  test('even shares, the cents left over to the first', () => {
    expect(splitCents(1000, 2)).toEqual([500, 500]);
    expect(splitCents(1001, 2)).toEqual([501, 500]);
    expect(splitCents(1001, 3)).toEqual([334, 334, 333]);
    expect(splitCents(-1001, 3)).toEqual([-334, -334, -333]);
    expect(splitCents(5, 1)).toEqual([5]);
    expect(splitCents(0, 3)).toEqual([0, 0, 0]);
    expect(() => splitCents(5, 0)).toThrow(RangeError);
  });
  test('the shares add up, differ by at most a cent, and the larger ones come first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 1, max: 20 }), (cents, parts) => {
        const shares = splitCents(cents, parts);
        expect(shares).toHaveLength(parts);
        expect(shares.reduce((sum, share) => sum + share, 0)).toBe(cents);
        for (const share of shares) expect(Number.isInteger(share)).toBe(true);
        const even = Math.floor(cents / parts);
        for (const share of shares) expect([even, even + 1]).toContain(share);
        expect([...shares].sort((a, b) => b - a)).toEqual(shares);
      }),
    );
  });
});

describe('revenueByContractor', () => {
  const base = (overrides: Partial<RevenueInput>): RevenueInput => ({
    jobs: [],
    completions: [],
    completedAssignments: [],
    contractors: [
      { id: 'c-zed', name: 'Zed Young' },
      { id: 'c-amy', name: 'Amy Ames' },
      { id: 'c-bo', name: 'Bo Burns' },
    ],
    timeZone: DENVER,
    from: '2026-12-01',
    to: '2026-12-31',
    ...overrides,
  });
  const completedJob = (id: string, agreedCostCents: number | null, actualCostCents: number | null = null) => ({
    id,
    status: 'completed',
    agreedCostCents,
    actualCostCents,
  });
  const at = (jobId: string, instant: string) => ({ jobId, occurredAt: instant, recordedAt: instant });

  test('a job earns its actual cost, else its agreed one, split in name order', () => {
    const report = revenueByContractor(
      base({
        jobs: [completedJob('j1', 10001, null), completedJob('j2', 5000, 7000)],
        completions: [at('j1', '2026-12-05T18:00:00.000Z'), at('j2', '2026-12-06T18:00:00.000Z')],
        completedAssignments: [
          { jobId: 'j1', contractorId: 'c-zed' },
          { jobId: 'j1', contractorId: 'c-amy' },
          { jobId: 'j2', contractorId: 'c-zed' },
        ],
      }),
    );
    expect(report).toEqual({
      contractors: [
        { contractorId: 'c-amy', name: 'Amy Ames', jobs: 1, revenueCents: 5001 },
        { contractorId: 'c-zed', name: 'Zed Young', jobs: 2, revenueCents: 5000 + 7000 },
      ],
      totalCents: 17001,
    });
  });

  test('the range is company days, and a job counts by its last completion', () => {
    const report = revenueByContractor(
      base({
        jobs: [
          completedJob('late-utc', 100),
          completedJob('next-month', 200),
          completedJob('reopened', 400),
          completedJob('reopened-into-range', 800),
        ],
        completions: [
          // Dec 31, 22:00 in Denver: in December there.
          at('late-utc', '2027-01-01T05:00:00.000Z'),
          // Jan 1, 00:30 in Denver.
          at('next-month', '2027-01-01T07:30:00.000Z'),
          // Completed in December, reopened, completed again in January: January's.
          at('reopened', '2026-12-10T18:00:00.000Z'),
          at('reopened', '2027-01-04T18:00:00.000Z'),
          at('reopened-into-range', '2026-11-10T18:00:00.000Z'),
          at('reopened-into-range', '2026-12-10T18:00:00.000Z'),
        ],
        completedAssignments: ['late-utc', 'next-month', 'reopened', 'reopened-into-range'].map((jobId) => ({
          jobId,
          contractorId: 'c-bo',
        })),
      }),
    );
    expect(report).toEqual({
      contractors: [{ contractorId: 'c-bo', name: 'Bo Burns', jobs: 2, revenueCents: 900 }],
      totalCents: 900,
    });
  });

  test('a phone whose clock runs fast counts when the server recorded the completion', () => {
    const report = revenueByContractor(
      base({
        jobs: [completedJob('j1', 100)],
        completions: [{ jobId: 'j1', occurredAt: '2027-01-02T18:00:00.000Z', recordedAt: '2026-12-31T18:00:00.000Z' }],
        completedAssignments: [{ jobId: 'j1', contractorId: 'c-amy' }],
      }),
    );
    expect(report.contractors).toEqual([{ contractorId: 'c-amy', name: 'Amy Ames', jobs: 1, revenueCents: 100 }]);
  });

  test('jobs reopened since, with nobody’s assignment completed, or with no price count as the rules say', () => {
    const report = revenueByContractor(
      base({
        jobs: [
          { ...completedJob('reopened-now', 500), status: 'in_progress' },
          completedJob('nobody', 700),
          completedJob('no-price', null),
        ],
        completions: [
          at('reopened-now', '2026-12-05T18:00:00.000Z'),
          at('nobody', '2026-12-05T18:00:00.000Z'),
          at('no-price', '2026-12-05T18:00:00.000Z'),
        ],
        completedAssignments: [
          { jobId: 'reopened-now', contractorId: 'c-amy' },
          { jobId: 'no-price', contractorId: 'c-amy' },
          // Listed twice (the same person): one share.
          { jobId: 'no-price', contractorId: 'c-amy' },
        ],
      }),
    );
    expect(report).toEqual({
      contractors: [{ contractorId: 'c-amy', name: 'Amy Ames', jobs: 1, revenueCents: 0 }],
      totalCents: 0,
    });
  });

  test('the lines always add up to the total', () => {
    const contractorIds = ['c-zed', 'c-amy', 'c-bo'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cents: fc.integer({ min: 0, max: 100_000_000 }),
            crew: fc.subarray(contractorIds),
          }),
          { maxLength: 30 },
        ),
        (drawn) => {
          const report = revenueByContractor(
            base({
              jobs: drawn.map((job, index) => completedJob(`j${index}`, job.cents)),
              completions: drawn.map((_, index) => at(`j${index}`, '2026-12-05T18:00:00.000Z')),
              completedAssignments: drawn.flatMap((job, index) =>
                job.crew.map((contractorId) => ({ jobId: `j${index}`, contractorId })),
              ),
            }),
          );
          expect(report.contractors.reduce((sum, line) => sum + line.revenueCents, 0)).toBe(report.totalCents);
        },
      ),
    );
  });
});
