import { type LocalDate, type LocalTime, localDateTimeToUtcMs, parseInstant, weekdayOfLocalDate } from './local-time';

/** One day's working window of a contractor, in the organization's time zone. */
export type WorkingHoursWindow = {
  /** 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number;
  startTime: LocalTime;
  endTime: LocalTime;
};

/** A half-open time interval [start, end) as ISO 8601 UTC instants. */
export type TimeInterval = { start: string; end: string };

/** Arguments of {@link freeSlots}. */
export type FreeSlotsInput = {
  date: LocalDate;
  timeZone: string;
  workingHours: readonly WorkingHoursWindow[];
  /** The contractor's live assignments; only those touching `date` matter. */
  busy: readonly TimeInterval[];
  durationMinutes: number;
  /** Step between candidate starts; 30 unless told. */
  slotMinutes?: number;
};

/** An interval as epoch ms, [start, end). */
export type MsInterval = { start: number; end: number };

const MS_PER_MINUTE = 60_000;

/**
 * The free slots of one contractor on one local date, earliest first.
 *
 * Candidate starts run every `slotMinutes` from the window's start; a slot
 * must end by the window's end and overlap no busy interval. Intervals are
 * half-open, so a slot that starts exactly when an assignment ends (or ends
 * when one starts) is free. A day without working hours, or a job longer
 * than the window, gives `[]`.
 *
 * Steps are real elapsed minutes between UTC instants, so on a DST switch
 * day a window of 01:00–05:00 holds three hours of slots, not four.
 */
export function freeSlots(input: FreeSlotsInput): TimeInterval[] {
  const busy = input.busy.map(parseInterval);
  return freeSlotsMs(
    input.date,
    input.timeZone,
    input.workingHours,
    busy,
    input.durationMinutes,
    input.slotMinutes ?? 30,
  ).map(formatInterval);
}

/**
 * {@link freeSlots} on pre-parsed busy intervals, for callers that scan many
 * days of one contractor and should parse the assignments once.
 */
export function freeSlotsMs(
  date: LocalDate,
  timeZone: string,
  workingHours: readonly WorkingHoursWindow[],
  busy: readonly MsInterval[],
  durationMinutes: number,
  slotMinutes: number,
): MsInterval[] {
  if (!(durationMinutes > 0)) throw new RangeError(`durationMinutes must be positive, got ${durationMinutes}`);
  if (!(slotMinutes > 0)) throw new RangeError(`slotMinutes must be positive, got ${slotMinutes}`);
  const weekday = weekdayOfLocalDate(date);
  const durationMs = durationMinutes * MS_PER_MINUTE;
  const stepMs = slotMinutes * MS_PER_MINUTE;
  const starts = new Set<number>();
  const slots: MsInterval[] = [];

  for (const window of workingHours) {
    if (window.dayOfWeek !== weekday) continue;
    const windowStart = localDateTimeToUtcMs(date, window.startTime, timeZone);
    const windowEnd = localDateTimeToUtcMs(date, window.endTime, timeZone);
    const busyToday = busy.filter((b) => b.start < windowEnd && windowStart < b.end);
    for (let start = windowStart; start + durationMs <= windowEnd; start += stepMs) {
      const end = start + durationMs;
      // Half-open overlap: touching at a boundary is not a clash.
      if (busyToday.some((b) => b.start < end && start < b.end)) continue;
      if (starts.has(start)) continue;
      starts.add(start);
      slots.push({ start, end });
    }
  }
  // Several windows on one day (not in our data model, but cheap to honour)
  // may interleave; callers rely on earliest-first.
  return slots.sort((a, b) => a.start - b.start);
}

/** Parses an ISO interval to epoch ms; RangeError for a bad or backwards one. */
export function parseInterval(interval: TimeInterval): MsInterval {
  const start = parseInstant(interval.start);
  const end = parseInstant(interval.end);
  if (end < start) throw new RangeError(`Interval ends before it starts: ${interval.start} – ${interval.end}`);
  return { start, end };
}

/** Formats an epoch-ms interval as ISO 8601 UTC strings. */
export function formatInterval(interval: MsInterval): TimeInterval {
  return { start: new Date(interval.start).toISOString(), end: new Date(interval.end).toISOString() };
}
