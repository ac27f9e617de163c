/**
 * Wall-clock dates and times in an IANA time zone, converted to and from UTC
 * instants with nothing but `Intl.DateTimeFormat` (no date library, so the
 * phone and the server run the very same code).
 *
 * A local date is a `'YYYY-MM-DD'` string and a local time `'HH:MM'` (an
 * `'HH:MM:SS'` from Postgres is accepted too). Instants are epoch
 * milliseconds or ISO strings.
 */

/** A calendar date in some time zone, `'YYYY-MM-DD'`. */
export type LocalDate = string;

/** A wall-clock time, `'HH:MM'` (or `'HH:MM:SS'`); `'24:00'` means the end of the day. */
export type LocalTime = string;

/** A UTC instant seen on the wall clock of one time zone. */
export type LocalDateTime = {
  date: LocalDate;
  /** `'HH:MM'`, 24-hour clock. */
  time: LocalTime;
  /** 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number;
};

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

type DateParts = { year: number; month: number; day: number };

function parseLocalDate(date: LocalDate): DateParts {
  const match = DATE_PATTERN.exec(date);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`Invalid local date "${date}", expected YYYY-MM-DD`);
}

/** Minutes since local midnight for `'HH:MM'` / `'HH:MM:SS'` (0 … 1440). */
export function minutesOfLocalTime(time: LocalTime): number {
  const match = TIME_PATTERN.exec(time);
  if (match) {
    const hours = Number(match[1]);
    const minutes = Number(match[2]);
    const seconds = match[3] === undefined ? 0 : Number(match[3]);
    const total = hours * 60 + minutes + seconds / 60;
    if (minutes < 60 && seconds < 60 && total <= 24 * 60) return total;
  }
  throw new RangeError(`Invalid local time "${time}", expected HH:MM`);
}

/** Days since 1970-01-01 of a local date; plain calendar arithmetic, no zone involved. */
function epochDay(date: LocalDate): number {
  // Ranking asks about the same dozen dates for every contractor: parse each once.
  let days = epochDays.get(date);
  if (days === undefined) {
    const { year, month, day } = parseLocalDate(date);
    days = Date.UTC(year, month - 1, day) / MS_PER_DAY;
    if (epochDays.size >= MAX_CACHED_DATES) epochDays.clear();
    epochDays.set(date, days);
  }
  return days;
}

const MAX_CACHED_DATES = 10_000;
const epochDays = new Map<string, number>();

function dateOfEpochDay(days: number): LocalDate {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day of the week of a local date, 0 = Sunday … 6 = Saturday. */
export function weekdayOfLocalDate(date: LocalDate): number {
  return new Date(epochDay(date) * MS_PER_DAY).getUTCDay();
}

/** The local date `days` calendar days after `date` (negative goes back). */
export function addDaysToLocalDate(date: LocalDate, days: number): LocalDate {
  return dateOfEpochDay(epochDay(date) + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetweenLocalDates(from: LocalDate, to: LocalDate): number {
  return epochDay(to) - epochDay(from);
}

// Building a DateTimeFormat costs far more than using one; recommendations
// convert thousands of times per request, always in one organization's zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for an unknown zone, which is what we want.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

type WallClock = DateParts & { hour: number; minute: number; second: number };

function wallClockAt(instantMs: number, timeZone: string): WallClock {
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    switch (part.type) {
      case 'year':
      case 'month':
      case 'day':
      case 'minute':
      case 'second':
        wall[part.type] = Number(part.value);
        break;
      case 'hour':
        // Some ICU versions print midnight as "24" even with h23.
        wall.hour = Number(part.value) % 24;
        break;
    }
  }
  return wall;
}

/** Offset of the zone from UTC at an instant, in ms (EST → −18 000 000). */
function offsetAt(instantMs: number, timeZone: string): number {
  // Zone offsets change only on quarter-hour boundaries, so every instant of a
  // quarter hour shares one offset: remember it instead of asking Intl again.
  // Ranking thousands of contractors converts the same few wall times over and over.
  const quarter = Math.floor(instantMs / QUARTER_HOUR_MS);
  let offsets = offsetCache.get(timeZone);
  if (!offsets) {
    offsets = new Map();
    offsetCache.set(timeZone, offsets);
  }
  const known = offsets.get(quarter);
  if (known !== undefined) return known;
  const start = quarter * QUARTER_HOUR_MS;
  const wall = wallClockAt(start, timeZone);
  const offset = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - start;
  if (offsets.size > MAX_CACHED_OFFSETS) offsets.clear();
  offsets.set(quarter, offset);
  return offset;
}

const QUARTER_HOUR_MS = 15 * 60_000;
const MAX_CACHED_OFFSETS = 50_000;
const offsetCache = new Map<string, Map<number, number>>();

/**
 * The UTC instant (epoch ms) at which the wall clock of `timeZone` shows
 * `date` `time`.
 *
 * Around DST switches this follows Temporal's "compatible" rule: a time that
 * falls in the spring-forward gap (02:30 on the March switch in New York) is
 * moved forward by the gap (03:30 EDT); a time that occurs twice (01:30 on
 * the November switch) resolves to the earlier occurrence (EDT).
 */
export function localDateTimeToUtcMs(date: LocalDate, time: LocalTime, timeZone: string): number {
  const wallAsUtc = epochDay(date) * MS_PER_DAY + minutesOfLocalTime(time) * MS_PER_MINUTE;
  // Zones switch at most once around any one day, so the offsets a day
  // either side are the two candidates.
  const offsetBefore = offsetAt(wallAsUtc - MS_PER_DAY, timeZone);
  const offsetAfter = offsetAt(wallAsUtc + MS_PER_DAY, timeZone);
  const candidates = [wallAsUtc - offsetBefore, wallAsUtc - offsetAfter].filter(
    (instant) => instant + offsetAt(instant, timeZone) === wallAsUtc,
  );
  if (candidates.length === 0) {
    // In the gap: reading the wall time with the pre-switch offset lands
    // the gap's length later, on the far side of the switch.
    return wallAsUtc - offsetBefore;
  }
  return Math.min(...candidates);
}

/** Like {@link localDateTimeToUtcMs}, as an ISO 8601 UTC string (`…Z`). */
export function localDateTimeToUtc(date: LocalDate, time: LocalTime, timeZone: string): string {
  return new Date(localDateTimeToUtcMs(date, time, timeZone)).toISOString();
}

/** What the wall clock of `timeZone` shows at a UTC instant (ISO string or epoch ms). */
export function utcToLocalDateTime(instant: string | number, timeZone: string): LocalDateTime {
  const instantMs = typeof instant === 'number' ? instant : parseInstant(instant);
  // The zone's offset is remembered per quarter hour (see offsetAt): shifting by it
  // reads the wall clock without asking Intl each time.
  const wall = new Date(instantMs + offsetAt(instantMs, timeZone));
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1, 2)}-${pad(wall.getUTCDate(), 2)}`;
  return {
    date,
    time: `${pad(wall.getUTCHours(), 2)}:${pad(wall.getUTCMinutes(), 2)}`,
    dayOfWeek: weekdayOfLocalDate(date),
  };
}

// Without a zone designator Date.parse reads the device's local time, and
// the phone and the server would disagree about the same string.
const ZONED_INSTANT = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * Epoch ms of an ISO 8601 instant. Throws RangeError when it does not parse
 * or has no `Z` / UTC offset.
 */
export function parseInstant(iso: string): number {
  const ms = ZONED_INSTANT.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`Invalid instant "${iso}", expected ISO 8601 with Z or an offset`);
  return ms;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
