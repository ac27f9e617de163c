import { z } from 'zod';

/** `GET /api/reports/estimates?from=YYYY-MM&to=YYYY-MM`: each month's estimates by what became of them. */
export const estimatesReportSchema = z.object({
  months: z.array(
    z.object({
      month: z.string(),
      sent: z.number(),
      accepted: z.number(),
      rejected: z.number(),
      expired: z.number(),
      /** 0..1, or null when no estimate of the month has had an answer. */
      acceptanceRate: z.number().nullable(),
    }),
  ),
});
export type EstimatesReport = z.infer<typeof estimatesReportSchema>;

/** `GET /api/reports/revenue?from=YYYY-MM-DD&to=YYYY-MM-DD`: what each contractor's jobs earned. */
export const revenueReportSchema = z.object({
  currency: z.string(),
  contractors: z.array(
    z.object({ contractorId: z.string(), name: z.string(), jobs: z.number(), revenueCents: z.number() }),
  ),
  totalCents: z.number(),
});
export type RevenueReport = z.infer<typeof revenueReportSchema>;

/** How many months the reports show unless told otherwise (this one and the five before). */
export const DEFAULT_REPORT_MONTHS = 6;

/** `YYYY-MM` shifted by whole months. */
export function addMonths(month: string, months: number): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (monthNumber - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The reports' months: the route's, else the last {@link DEFAULT_REPORT_MONTHS} up to this one (a company day). */
export function reportMonths(route: { from?: string; to?: string }, today: string): { from: string; to: string } {
  if (route.from && route.to) return { from: route.from, to: route.to };
  const thisMonth = today.slice(0, 7);
  return { from: addMonths(thisMonth, -(DEFAULT_REPORT_MONTHS - 1)), to: thisMonth };
}

/** The calendar days a month range covers, first day of `from` to last day of `to`. */
export function monthRangeDays(from: string, to: string): { from: string; to: string } {
  const [year, month] = to.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${from}-01`, to: `${to}-${String(lastDay).padStart(2, '0')}` };
}

/** "Nov 2026" for `2026-11`. */
export function formatMonth(month: string, locale?: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  if (!year || !monthNumber) return month;
  return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(year, monthNumber - 1, 15),
  );
}

/** "67 %" for 0.6667; "—" when there were no answers to count. */
export function acceptanceRateText(rate: number | null): string {
  if (rate === null) return '—';
  return `${Math.round(rate * 100)} %`;
}

/** True when the months hold no estimate at all (for the empty state). */
export function estimatesReportIsEmpty(report: EstimatesReport): boolean {
  return report.months.every((month) => month.sent + month.accepted + month.rejected + month.expired === 0);
}
