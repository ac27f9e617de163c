import { expect, test } from 'vitest';
import {
  acceptanceRateText,
  addMonths,
  estimatesReportIsEmpty,
  estimatesReportSchema,
  formatMonth,
  monthRangeDays,
  reportMonths,
  revenueReportSchema,
} from './reports';

test('months shift across years', () => {
  expect(addMonths('2026-11', 2)).toBe('2027-01');
  expect(addMonths('2026-01', -1)).toBe('2025-12');
  expect(addMonths('2026-06', -5)).toBe('2026-01');
  expect(addMonths('2026-06', -6)).toBe('2025-12');
});

test('the reports show the last six months up to the company’s month unless the address names others', () => {
  expect(reportMonths({}, '2026-03-31')).toEqual({ from: '2025-10', to: '2026-03' });
  expect(reportMonths({ from: '2026-01', to: '2026-02' }, '2026-03-31')).toEqual({ from: '2026-01', to: '2026-02' });
});

test('a month range covers whole months, leap years included, for the revenue report', () => {
  expect(monthRangeDays('2026-01', '2026-02')).toEqual({ from: '2026-01-01', to: '2026-02-28' });
  expect(monthRangeDays('2028-02', '2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  expect(monthRangeDays('2026-06', '2026-12')).toEqual({ from: '2026-06-01', to: '2026-12-31' });
});

test('months and rates in words', () => {
  expect(formatMonth('2026-11', 'en-US')).toBe('Nov 2026');
  expect(acceptanceRateText(2 / 3)).toBe('67 %');
  expect(acceptanceRateText(0)).toBe('0 %');
  expect(acceptanceRateText(null)).toBe('—');
});

test('the answers are read as the endpoints describe them; months with nothing are an empty report', () => {
  const report = estimatesReportSchema.parse({
    months: [
      { month: '2026-10', sent: 0, accepted: 0, rejected: 0, expired: 0, acceptanceRate: null },
      { month: '2026-11', sent: 4, accepted: 2, rejected: 1, expired: 0, acceptanceRate: 0.667 },
    ],
  });
  expect(estimatesReportIsEmpty(report)).toBe(false);
  expect(estimatesReportIsEmpty({ months: report.months.slice(0, 1) })).toBe(true);
  expect(estimatesReportSchema.safeParse({ months: [{ month: '2026-11' }] }).success).toBe(false);
  expect(
    revenueReportSchema.safeParse({
      currency: 'USD',
      contractors: [{ contractorId: 'c1', name: 'Carl', jobs: 3, revenueCents: 450000 }],
      totalCents: 450000,
    }).success,
  ).toBe(true);
});
