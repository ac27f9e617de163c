/**
 * Time on site, read from a job's status history: how long each job spent
 * in progress (working), waiting on materials and on hold, per contractor
 * and per calendar day of the company's time zone.
 *
 * The rules, the same on the phone and the server:
 * - Order: a job's changes are read by when they happened on the device
 *   (`occurredAt`), never later than the server learned of them
 *   (`recordedAt`) — a phone whose clock runs fast is clamped, as the server
 *   clamps it on push. A day offline replayed late therefore counts on the
 *   day it was worked, not the day it was sent.
 * - A stretch runs from one change to the job's next change; the last one
 *   runs until `now` (a job still in progress keeps counting).
 * - Days: a stretch that crosses midnight (company time) is split between
 *   the days; a day that has 23 or 25 hours around a DST switch counts what
 *   the clock really ran.
 * - Who: every contractor whose assignment on the job is live (pending,
 *   confirmed, in progress or completed) gets the job's whole time; a crew
 *   of two both get it. A declined or cancelled assignment gets none — the
 *   history does not say when someone left a job, so a contractor taken off
 *   a job loses the time they had on it.
 */
import type { AssignmentStatus } from '../enums/assignment-status';
import { isLiveAssignment } from '../enums/assignment-status';
import type { JobStatus } from '../enums/job-status';
import {
  addDaysToLocalDate,
  type LocalDate,
  localDateTimeToUtcMs,
  parseInstant,
  utcToLocalDateTime,
} from '../scheduling/local-time';

/** The three kinds of time on site a timesheet shows. */
export type TimeOnSiteKind = 'working' | 'waiting' | 'onHold';

/** Which job statuses are time on site, and of which kind. Every other status is off the clock. */
export const TIMED_JOB_STATUSES: { readonly [S in JobStatus]?: TimeOnSiteKind } = {
  in_progress: 'working',
  waiting_on_materials: 'waiting',
  on_hold: 'onHold',
};

/** One job status change as time on site reads it (a `jobStatusHistory` row has these fields). */
export interface TimedStatusChange {
  jobId: string;
  toStatus: JobStatus;
  /** Device time of the change. */
  occurredAt: string;
  /** When the server (or, for a change not sent yet, the phone) recorded it. */
  recordedAt: string;
  /** Breaks ties between changes of one push (same instant). */
  seq?: number | null;
  id?: string;
}

/** Who was on a job: an assignment's job, contractor and status. */
export interface JobAssignee {
  jobId: string;
  contractorId: string;
  status: AssignmentStatus;
}

/** A stretch of one job in one timed status, as epoch ms `[startMs, endMs)`. */
export interface StatusStretch {
  jobId: string;
  status: JobStatus;
  kind: TimeOnSiteKind;
  startMs: number;
  endMs: number;
}

export interface TimeOnSiteInput {
  history: readonly TimedStatusChange[];
  assignments: readonly JobAssignee[];
  /** IANA zone of the company; days are its calendar days. */
  timeZone: string;
  /** First and last company day counted, inclusive, `YYYY-MM-DD`. */
  from: LocalDate;
  to: LocalDate;
  /** The end of a stretch still open (ISO instant or epoch ms). */
  now: string | number;
}

/** Time of one contractor on one job on one company day, in milliseconds. */
export interface TimeOnSiteCell {
  date: LocalDate;
  contractorId: string;
  jobId: string;
  workingMs: number;
  waitingMs: number;
  onHoldMs: number;
}

const KIND_FIELD: { readonly [K in TimeOnSiteKind]: 'workingMs' | 'waitingMs' | 'onHoldMs' } = {
  working: 'workingMs',
  waiting: 'waitingMs',
  onHold: 'onHoldMs',
};

/** When a change counts as having happened: its device time, never after it was recorded. */
export function effectiveOccurredMs(change: Pick<TimedStatusChange, 'occurredAt' | 'recordedAt'>): number {
  return Math.min(parseInstant(change.occurredAt), parseInstant(change.recordedAt));
}

function compareChanges(
  a: { at: number; change: TimedStatusChange },
  b: { at: number; change: TimedStatusChange },
): number {
  return (
    a.at - b.at ||
    parseInstant(a.change.recordedAt) - parseInstant(b.change.recordedAt) ||
    (a.change.seq ?? 0) - (b.change.seq ?? 0) ||
    (a.change.id ?? '').localeCompare(b.change.id ?? '')
  );
}

/**
 * The timed stretches of each job (in progress, waiting, on hold), in the
 * order they happened, the last open one ending at `now`. Stretches of no
 * length (two changes at one instant) are left out.
 */
export function statusStretches(history: readonly TimedStatusChange[], now: string | number): StatusStretch[] {
  const nowMs = typeof now === 'number' ? now : parseInstant(now);
  const byJob = new Map<string, Array<{ at: number; change: TimedStatusChange }>>();
  for (const change of history) {
    const list = byJob.get(change.jobId) ?? [];
    list.push({ at: effectiveOccurredMs(change), change });
    byJob.set(change.jobId, list);
  }
  const stretches: StatusStretch[] = [];
  for (const [jobId, changes] of byJob) {
    changes.sort(compareChanges);
    changes.forEach(({ at, change }, index) => {
      const kind = TIMED_JOB_STATUSES[change.toStatus];
      if (!kind) return;
      const next = changes[index + 1];
      const endMs = Math.min(next ? next.at : nowMs, nowMs);
      if (endMs > at) stretches.push({ jobId, status: change.toStatus, kind, startMs: at, endMs });
    });
  }
  return stretches;
}

/**
 * The job's status right now and since when, when it is a timed one (the
 * running clock on the phone); null when the job is off the clock.
 */
export function openStretch(
  history: readonly TimedStatusChange[],
  jobId: string,
): { status: JobStatus; kind: TimeOnSiteKind; sinceMs: number } | null {
  let latest: { at: number; change: TimedStatusChange } | undefined;
  for (const change of history) {
    if (change.jobId !== jobId) continue;
    const candidate = { at: effectiveOccurredMs(change), change };
    if (!latest || compareChanges(candidate, latest) > 0) latest = candidate;
  }
  const kind = latest && TIMED_JOB_STATUSES[latest.change.toStatus];
  return latest && kind ? { status: latest.change.toStatus, kind, sinceMs: latest.at } : null;
}

/** Cuts `[startMs, endMs)` at each company midnight: `[date, ms]` per day touched. */
function splitByLocalDay(startMs: number, endMs: number, timeZone: string): Array<[LocalDate, number]> {
  const parts: Array<[LocalDate, number]> = [];
  let cursor = startMs;
  while (cursor < endMs) {
    const date = utcToLocalDateTime(cursor, timeZone).date;
    const nextMidnight = localDateTimeToUtcMs(addDaysToLocalDate(date, 1), '00:00', timeZone);
    const cut = Math.min(nextMidnight, endMs);
    parts.push([date, cut - cursor]);
    cursor = cut;
  }
  return parts;
}

/**
 * Time on site per company day, contractor and job, for the days `from`…`to`
 * (see the rules at the top of this file). Cells are in no particular
 * order; empty ones are left out.
 */
export function timeOnSite(input: TimeOnSiteInput): TimeOnSiteCell[] {
  const rangeStartMs = localDateTimeToUtcMs(input.from, '00:00', input.timeZone);
  const rangeEndMs = localDateTimeToUtcMs(addDaysToLocalDate(input.to, 1), '00:00', input.timeZone);
  const contractorsOf = new Map<string, Set<string>>();
  for (const assignment of input.assignments) {
    if (!isLiveAssignment(assignment.status)) continue;
    const set = contractorsOf.get(assignment.jobId) ?? new Set<string>();
    set.add(assignment.contractorId);
    contractorsOf.set(assignment.jobId, set);
  }

  const cells = new Map<string, TimeOnSiteCell>();
  for (const stretch of statusStretches(input.history, input.now)) {
    const contractors = contractorsOf.get(stretch.jobId);
    if (!contractors) continue;
    const startMs = Math.max(stretch.startMs, rangeStartMs);
    const endMs = Math.min(stretch.endMs, rangeEndMs);
    if (endMs <= startMs) continue;
    for (const [date, ms] of splitByLocalDay(startMs, endMs, input.timeZone)) {
      for (const contractorId of contractors) {
        const key = `${date}|${contractorId}|${stretch.jobId}`;
        let cell = cells.get(key);
        if (!cell) {
          cell = { date, contractorId, jobId: stretch.jobId, workingMs: 0, waitingMs: 0, onHoldMs: 0 };
          cells.set(key, cell);
        }
        cell[KIND_FIELD[stretch.kind]] += ms;
      }
    }
  }
  return [...cells.values()];
}
