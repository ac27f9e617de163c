/**
 * The office's money reports, pure: how estimates fared month by month
 * (`GET /api/reports/estimates`) and what completed jobs earned per
 * contractor (`GET /api/reports/revenue`). The server reads the rows; the
 * counting and the arithmetic are here.
 */
import { type LocalDate, utcToLocalDateTime } from '../scheduling/local-time';
import { effectiveOccurredMs } from '../timesheets/time-on-site';
import type { EstimateStatus } from './estimate';
import { type JobCosts, jobEarnedCents } from './job-costing';

/** A month of the company's calendar, `YYYY-MM`. */
export type CalendarMonth = string;

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Whether `value` is a month as `YYYY-MM` (01 to 12). */
export function isCalendarMonth(value: string): boolean {
  return MONTH_PATTERN.test(value);
}

function monthParts(month: CalendarMonth): { year: number; month: number } {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`Expected a month as YYYY-MM, got "${month}"`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

/** The month after `month` (`2026-12` → `2027-01`). */
export function nextCalendarMonth(month: CalendarMonth): CalendarMonth {
  const parts = monthParts(month);
  const year = parts.month === 12 ? parts.year + 1 : parts.year;
  const next = parts.month === 12 ? 1 : parts.month + 1;
  return `${String(year).padStart(4, '0')}-${String(next).padStart(2, '0')}`;
}

/** How many months `from` to `to` spans, both included (0 when `from` is after `to`). */
export function monthsInRange(from: CalendarMonth, to: CalendarMonth): number {
  const start = monthParts(from);
  const end = monthParts(to);
  return Math.max(0, (end.year - start.year) * 12 + (end.month - start.month) + 1);
}

/** One month of the estimates report. */
export interface EstimateMonth {
  month: CalendarMonth;
  /** Estimates sent this month that are still out or were answered (not pulled back to draft). */
  sent: number;
  /** Of those, how many the customer accepted, turned down, or let lapse. */
  accepted: number;
  rejected: number;
  expired: number;
  /** `accepted / (accepted + rejected + expired)`, a fraction from 0 to 1; null while none is decided. */
  acceptanceRate: number | null;
}

/**
 * The estimates report: every month from `from` to `to` (empty ones too),
 * counting the estimates sent in it — by `sentAt` on the company's calendar —
 * and what has become of them since. A draft is not counted even when it
 * was sent once: it was pulled back to be revised, and counts when it is sent again.
 */
export function estimateMonths(input: {
  estimates: ReadonlyArray<{ status: EstimateStatus; sentAt: string | null; deletedAt?: string | null }>;
  timeZone: string;
  from: CalendarMonth;
  to: CalendarMonth;
}): EstimateMonth[] {
  const months = new Map<CalendarMonth, EstimateMonth>();
  for (let month = input.from, left = monthsInRange(input.from, input.to); left > 0; left -= 1) {
    months.set(month, { month, sent: 0, accepted: 0, rejected: 0, expired: 0, acceptanceRate: null });
    month = nextCalendarMonth(month);
  }
  for (const estimate of input.estimates) {
    if (estimate.deletedAt || estimate.sentAt === null || estimate.status === 'draft') continue;
    const row = months.get(utcToLocalDateTime(estimate.sentAt, input.timeZone).date.slice(0, 7));
    if (!row) continue;
    row.sent += 1;
    if (estimate.status === 'accepted') row.accepted += 1;
    else if (estimate.status === 'rejected') row.rejected += 1;
    else if (estimate.status === 'expired') row.expired += 1;
  }
  for (const row of months.values()) {
    const decided = row.accepted + row.rejected + row.expired;
    row.acceptanceRate = decided === 0 ? null : row.accepted / decided;
  }
  return [...months.values()];
}

/**
 * `cents` shared by `parts` people in whole cents: an even share each, and
 * the cents left over one each to the first (`splitCents(1001, 3)` is
 * `[334, 334, 333]`). The shares always add up to `cents` and differ by at most one.
 */
export function splitCents(cents: number, parts: number): number[] {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`Expected at least one part, got ${parts}`);
  const share = Math.trunc(cents / parts);
  // What the even shares leave over, fewer cents than parts: one more cent each for the first ones.
  const leftover = cents - share * parts;
  const step = Math.sign(leftover);
  return Array.from({ length: parts }, (_, index) => (index < Math.abs(leftover) ? share + step : share));
}

/** One contractor's line of the revenue report. */
export interface ContractorRevenue {
  contractorId: string;
  name: string;
  /** Jobs completed in the range that they shared in. */
  jobs: number;
  revenueCents: number;
}

export interface RevenueInput {
  /** The jobs to consider; only those whose status is `completed` now count. */
  jobs: ReadonlyArray<{ id: string; status: string } & Pick<JobCosts, 'agreedCostCents' | 'actualCostCents'>>;
  /** The jobs' status history entries to `completed` (a job reopened and completed again has several). */
  completions: ReadonlyArray<{ jobId: string; occurredAt: string; recordedAt: string }>;
  /** The assignments that were completed on those jobs: their contractors did the work. */
  completedAssignments: ReadonlyArray<{ jobId: string; contractorId: string }>;
  contractors: ReadonlyArray<{ id: string; name: string }>;
  timeZone: string;
  /** First and last company day, `YYYY-MM-DD`. */
  from: LocalDate;
  to: LocalDate;
}

const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/**
 * The revenue report: each job completed in the range — its last move to
 * `completed`, counted when it happened on the device but never after the
 * server recorded it, on the company's calendar — earns its actual cost, else
 * its agreed one (`jobEarnedCents`; neither known counts as 0). The money goes
 * to the contractors whose assignment on the job completed, split by
 * `splitCents` in name order. A job nobody's assignment completed is in no
 * line, so the total is what the lines add up to. Lines are ordered by name.
 */
export function revenueByContractor(input: RevenueInput): { contractors: ContractorRevenue[]; totalCents: number } {
  const lastCompletion = new Map<string, number>();
  for (const completion of input.completions) {
    const at = effectiveOccurredMs(completion);
    if (at > (lastCompletion.get(completion.jobId) ?? Number.NEGATIVE_INFINITY))
      lastCompletion.set(completion.jobId, at);
  }
  const names = new Map(input.contractors.map((contractor) => [contractor.id, contractor.name]));
  const crews = new Map<string, Set<string>>();
  for (const assignment of input.completedAssignments) {
    const crew = crews.get(assignment.jobId) ?? new Set<string>();
    crew.add(assignment.contractorId);
    crews.set(assignment.jobId, crew);
  }

  const lines = new Map<string, ContractorRevenue>();
  let totalCents = 0;
  for (const job of input.jobs) {
    const completedAt = lastCompletion.get(job.id);
    if (job.status !== 'completed' || completedAt === undefined) continue;
    const day = utcToLocalDateTime(completedAt, input.timeZone).date;
    if (day < input.from || day > input.to) continue;
    const crew = [...(crews.get(job.id) ?? [])].map((id) => ({ id, name: names.get(id) ?? '' })).sort(byName);
    if (crew.length === 0) continue;
    const earned = jobEarnedCents(job) ?? 0;
    const shares = splitCents(earned, crew.length);
    crew.forEach((contractor, index) => {
      const line = lines.get(contractor.id) ?? {
        contractorId: contractor.id,
        name: contractor.name,
        jobs: 0,
        revenueCents: 0,
      };
      line.jobs += 1;
      line.revenueCents += shares[index] ?? 0;
      lines.set(contractor.id, line);
    });
    totalCents += earned;
  }
  const contractors = [...lines.values()].sort((a, b) =>
    byName({ name: a.name, id: a.contractorId }, { name: b.name, id: b.contractorId }),
  );
  return { contractors, totalCents };
}
