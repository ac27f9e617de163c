import { addDaysToLocalDate, type TimeFormat, utcToLocalDateTime } from '@fieldsync/domain';

/**
 * Dates and times as people read them, on the phone and in the office alike.
 * Every time is shown on the company's clock — its time zone and its 12- or
 * 24-hour format — never the device's, so a contractor travelling with a
 * phone set to another zone and the dispatcher at the desk read the same
 * "9:30 AM". A day is a calendar day in the company's zone (`YYYY-MM-DD`).
 */

/** The company's clock: the time zone days and times are read in and how hours are written. */
export type CompanyClock = { readonly timeZone: string; readonly timeFormat: TimeFormat };

/** An instant as it arrives: an ISO 8601 string, epoch milliseconds or a `Date`. */
export type Instant = string | number | Date;

// English month and weekday words everywhere: the office and the phone must
// read the same, whatever language the device is set to.
const LOCALE = 'en-US';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALE, { timeZone, ...options });
    formatters.set(key, format);
  }
  return format;
}

/** `9:30 AM` on a 12-hour clock, `09:30` on a 24-hour one. */
function hourOptions(timeFormat: TimeFormat): Intl.DateTimeFormatOptions {
  return timeFormat === '12h'
    ? { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' }
    : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
}

// Newer ICU puts a narrow no-break space before AM/PM; a plain space reads
// the same and lets people (and tests) search for "9:30 AM".
function plainSpaces(text: string): string {
  return text.replace(/[\u202f\u00a0]/g, ' ');
}

function toMs(instant: Instant): number {
  if (typeof instant === 'number') return instant;
  if (instant instanceof Date) return instant.getTime();
  return Date.parse(instant);
}

/** `9:30 AM` (12h) or `09:30` (24h) of an instant, on the company's clock. */
export function formatTime(instant: Instant, clock: CompanyClock): string {
  const ms = toMs(instant);
  if (Number.isNaN(ms)) return String(instant);
  return plainSpaces(formatter(clock.timeZone, hourOptions(clock.timeFormat)).format(ms));
}

/** `Nov 21, 9:30 AM` (12h) or `Nov 21, 09:30` (24h) on the company's clock; `—` when there is none. */
export function formatDateTime(instant: Instant | null | undefined, clock: CompanyClock): string {
  if (instant === null || instant === undefined || instant === '') return '—';
  const ms = toMs(instant);
  if (Number.isNaN(ms)) return String(instant);
  return plainSpaces(
    formatter(clock.timeZone, { month: 'short', day: 'numeric', ...hourOptions(clock.timeFormat) }).format(ms),
  );
}

/**
 * A wall-clock time of the company's day (`'08:00'`, `'17:30:00'` from
 * working hours) in its format: `8:00 AM` or `08:00`. Never shifted by a zone.
 */
export function formatWallTime(time: string, clock: Pick<CompanyClock, 'timeFormat'>): string {
  const match = /^(\d{1,2}):(\d{2})/.exec(time);
  if (!match) return time;
  const hours = Number(match[1]);
  const minutes = match[2] ?? '00';
  if (clock.timeFormat === '24h') return `${String(hours).padStart(2, '0')}:${minutes}`;
  const suffix = hours % 24 < 12 ? 'AM' : 'PM';
  return `${hours % 12 === 0 ? 12 : hours % 12}:${minutes} ${suffix}`;
}

/** A whole hour as a short mark on a timeline scale: `6a`, `12p` (12h) or `06`, `12` (24h). */
export function formatHourMark(hour: number, clock: Pick<CompanyClock, 'timeFormat'>): string {
  if (clock.timeFormat === '24h') return String(hour).padStart(2, '0');
  return `${hour % 12 === 0 ? 12 : hour % 12}${hour % 24 < 12 ? 'a' : 'p'}`;
}

/** The company's calendar day of an instant, `YYYY-MM-DD`. */
export function localDayKey(instant: Instant, clock: Pick<CompanyClock, 'timeZone'>): string {
  return utcToLocalDateTime(toMs(instant), clock.timeZone).date;
}

/** Today in the company's time zone, `YYYY-MM-DD`. */
export function todayIn(clock: Pick<CompanyClock, 'timeZone'>, nowMs: number = Date.now()): string {
  return localDayKey(nowMs, clock);
}

/** `YYYY-MM-DD` shifted by whole calendar days (plain date arithmetic, no zone and no DST involved). */
export function addDays(key: string, days: number): string {
  return addDaysToLocalDate(key, days);
}

/** Noon UTC of a calendar day: formatting it in UTC shows that very day in any zone. */
function dayKeyToMs(key: string): number {
  return Date.parse(`${key}T12:00:00Z`);
}

/** `Sat, Nov 21` for a `YYYY-MM-DD` calendar date (read as a date, never shifted by a zone); `—` when there is none. */
export function formatLocalDate(key: string | null | undefined): string {
  if (!key) return '—';
  const ms = dayKeyToMs(key);
  if (Number.isNaN(ms)) return key;
  return formatter('UTC', { weekday: 'short', month: 'short', day: 'numeric' }).format(ms);
}

/** "Today", "Tomorrow", "Yesterday", or "Fri, Nov 21", as seen from `today` (a company day). */
export function formatDayLabel(key: string, today: string): string {
  if (key === today) return 'Today';
  if (key === addDays(today, 1)) return 'Tomorrow';
  if (key === addDays(today, -1)) return 'Yesterday';
  return formatLocalDate(key);
}

/** The full date for screen readers and headings: "Friday, November 21, 2026". */
export function formatLongDay(key: string): string {
  const ms = dayKeyToMs(key);
  if (Number.isNaN(ms)) return key;
  return formatter('UTC', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(ms);
}

/** "3 changes" / "1 change". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Orders ISO instants by time. Not by string: `…:01Z` and `…:01.512Z` may both arrive from the server. */
export function compareInstants(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b);
}
