import { z } from 'zod';

/**
 * Any 8-4-4-4-12 hex id. Deliberately `z.guid()`, not `z.uuid()`: Postgres
 * accepts every such id, and refusing some of them (e.g. hand-written
 * fixtures like 00000000-…-0001) on the wire would only create mismatches.
 */
export const idSchema = z.guid();

/** Years a date may carry: the ISO format allows year 0000, which Postgres has no date for. */
const EARLIEST_YEAR = 1900;
const LATEST_YEAR = 9999;
const yearInRange = (value: string) => {
  const year = Number(value.slice(0, 4));
  return year >= EARLIEST_YEAR && year <= LATEST_YEAR;
};
const YEAR_MESSAGE = `Expected a year from ${EARLIEST_YEAR} to ${LATEST_YEAR}`;

/** An instant as ISO 8601 (`2026-11-21T09:03:00Z`; an offset is tolerated). */
export const isoDateTimeSchema = z.iso.datetime({ offset: true }).refine(yearInRange, YEAR_MESSAGE);

/** A calendar date `YYYY-MM-DD`, no time zone (read in the organisation's zone). */
export const calendarDateSchema = z.iso.date().refine(yearInRange, YEAR_MESSAGE);

/** A wall-clock time `HH:MM` (24 h). `24:00` is allowed so a day can end at midnight. */
export const timeOfDaySchema = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'Expected a time as HH:MM');

export const latitudeSchema = z.number().min(-90).max(90);
export const longitudeSchema = z.number().min(-180).max(180);

/** Minutes since midnight for an `HH:MM` string already validated by `timeOfDaySchema`. */
export function minutesOfDay(time: string): number {
  const [hours, minutes] = time.split(':');
  return Number(hours) * 60 + Number(minutes);
}
