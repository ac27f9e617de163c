import {
  addDaysToLocalDate,
  localDateTimeToUtc,
  minutesOfDay,
  utcToLocalDateTime,
  weekdayOfLocalDate,
} from '@fieldsync/domain';

/**
 * The schedule's geometry: which days a Day or Week view shows, where a
 * time falls on a row and which time a point on a row means. Everything is
 * on the company's wall clock; positions are fractions (0 … 1) of a row's
 * track, so the grid stays fluid and the same math serves the drawing, the
 * drop and the tests.
 *
 * A track lays its days side by side, each day covering the same visible
 * range of wall-clock minutes (`range.start` … `range.end` after local
 * midnight). "Grid minutes" count along the track from the first day's
 * `range.start`: day `d`, wall minute `m` sits at `d × span + (m − range.start)`.
 */

/** A booking's time, ISO 8601 UTC instants, `[start, end)`. */
export type Interval = { start: string; end: string };

/** Day shows one date, Week seven from Monday. */
export type ScheduleMode = 'day' | 'week';

/** Wall-clock minutes after local midnight shown on each day of the track, `[start, end)`. */
export type VisibleRange = { start: number; end: number };

/** 6 AM to 8 PM covers nearly every crew's hours. */
export const DEFAULT_RANGE: VisibleRange = { start: 6 * 60, end: 20 * 60 };

/** Drops and typed times land on quarter hours. */
export const SNAP_MINUTES = 15;

const MS_PER_MINUTE = 60_000;

/** The dates a view shows: the anchor alone, or the Monday-to-Sunday week holding it. */
export function scheduleDays(mode: ScheduleMode, anchor: string): string[] {
  if (mode === 'day') return [anchor];
  // Weeks start on Monday, as crews plan them.
  const monday = addDaysToLocalDate(anchor, -((weekdayOfLocalDate(anchor) + 6) % 7));
  return Array.from({ length: 7 }, (_, index) => addDaysToLocalDate(monday, index));
}

/**
 * The visible range: 6 AM – 8 PM, widened to whole hours so that every
 * working-hours window shown fits.
 */
export function visibleRange(windows: ReadonlyArray<{ startTime: string; endTime: string }>): VisibleRange {
  let { start, end } = DEFAULT_RANGE;
  for (const window of windows) {
    start = Math.min(start, Math.floor(minutesOfDay(window.startTime) / 60) * 60);
    end = Math.max(end, Math.ceil(minutesOfDay(window.endTime) / 60) * 60);
  }
  return { start, end };
}

/** Minutes one day covers on the track. */
export function daySpan(range: VisibleRange): number {
  return range.end - range.start;
}

/** Grid minutes along the whole track (all its days). */
export function trackMinutes(range: VisibleRange, dayCount: number): number {
  return daySpan(range) * dayCount;
}

/** Where wall minute `minutes` of day `dayIndex` sits, in grid minutes (may fall outside the track). */
export function gridMinutesOf(dayIndex: number, minutes: number, range: VisibleRange): number {
  return dayIndex * daySpan(range) + (minutes - range.start);
}

/** Where an instant sits on the track, in grid minutes; `null` when its day is not shown. */
export function gridMinutesOfInstant(
  instant: string,
  days: readonly string[],
  range: VisibleRange,
  timeZone: string,
): number | null {
  const local = utcToLocalDateTime(instant, timeZone);
  const dayIndex = days.indexOf(local.date);
  if (dayIndex === -1) return null;
  return gridMinutesOf(dayIndex, minutesOfDay(local.time), range);
}

/** A drawn interval as fractions of the track: `left` and `width` in 0 … 1. */
export type TrackBox = { left: number; width: number };

/**
 * The box of an assignment (or working window) on the track, cut to the
 * visible part of each day it touches. One box per shown day it appears
 * on; an interval on no shown day, or wholly outside the visible hours,
 * gives none.
 */
export function intervalBoxes(
  interval: { start: string; end: string },
  days: readonly string[],
  range: VisibleRange,
  timeZone: string,
): TrackBox[] {
  const startMs = Date.parse(interval.start);
  const endMs = Date.parse(interval.end);
  const total = trackMinutes(range, days.length);
  const boxes: TrackBox[] = [];
  days.forEach((day, dayIndex) => {
    const dayFrom = Date.parse(localDateTimeToUtc(day, minutesToTime(range.start), timeZone));
    const dayTo = Date.parse(localDateTimeToUtc(day, minutesToTime(range.end), timeZone));
    const from = Math.max(startMs, dayFrom);
    const to = Math.min(endMs, dayTo);
    if (to <= from) return;
    // Elapsed minutes from the day's visible start, so a DST day still lines up with its hour marks.
    const left = dayIndex * daySpan(range) + (from - dayFrom) / MS_PER_MINUTE;
    boxes.push({ left: left / total, width: (to - from) / MS_PER_MINUTE / total });
  });
  return boxes;
}

/** The box of a working-hours window on day `dayIndex` of the track, cut to the visible range. */
export function windowBox(
  window: { startTime: string; endTime: string },
  dayIndex: number,
  dayCount: number,
  range: VisibleRange,
): TrackBox | null {
  const from = Math.max(range.start, minutesOfDay(window.startTime));
  const to = Math.min(range.end, minutesOfDay(window.endTime));
  if (to <= from) return null;
  const total = trackMinutes(range, dayCount);
  return { left: gridMinutesOf(dayIndex, from, range) / total, width: (to - from) / total };
}

/** Rounds to the nearest multiple of `step` minutes. */
export function snapMinutes(minutes: number, step: number = SNAP_MINUTES): number {
  return Math.round(minutes / step) * step;
}

/** A wall-clock slot on the schedule: a date and minutes after its local midnight. */
export type WallSlot = { date: string; minutes: number };

/**
 * The slot a grid-minutes position means, snapped to quarter hours and kept
 * on the track: a position past a day's visible end belongs to the next
 * day, one before the first or after the last day is pulled back in.
 */
export function slotAtGridMinutes(position: number, days: readonly string[], range: VisibleRange): WallSlot {
  const span = daySpan(range);
  const last = trackMinutes(range, days.length) - SNAP_MINUTES;
  const snapped = Math.max(0, Math.min(last, snapMinutes(position)));
  const dayIndex = Math.min(days.length - 1, Math.floor(snapped / span));
  const minutes = range.start + snapped - dayIndex * span;
  return { date: days[dayIndex] ?? days[0] ?? '', minutes };
}

/** The grid minutes under a point that lies `fraction` (0 … 1) of the way along the track. */
export function gridMinutesAtFraction(fraction: number, dayCount: number, range: VisibleRange): number {
  return fraction * trackMinutes(range, dayCount);
}

/** `'HH:MM'` of minutes after midnight (`570` → `'09:30'`). */
export function minutesToTime(minutes: number): string {
  const whole = Math.round(minutes);
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

/** The UTC interval of a job of `durationMinutes` starting at a wall-clock slot. */
export function slotInterval(slot: WallSlot, durationMinutes: number, timeZone: string): Interval {
  const start = localDateTimeToUtc(slot.date, minutesToTime(slot.minutes), timeZone);
  const end = new Date(Date.parse(start) + durationMinutes * MS_PER_MINUTE).toISOString();
  return { start, end };
}

/** The wall-clock slot an instant starts, in the company's zone. */
export function wallSlotOf(instant: string, timeZone: string): WallSlot {
  const local = utcToLocalDateTime(instant, timeZone);
  return { date: local.date, minutes: minutesOfDay(local.time) };
}

/** Whole minutes between two instants. */
export function minutesBetween(start: string, end: string): number {
  return Math.round((Date.parse(end) - Date.parse(start)) / MS_PER_MINUTE);
}
