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

/**
 * Longest texts, in UTF-16 code units, per kind of field. Chosen so every
 * value fits what stores it: a btree index row holds about 2,700 bytes, so an
 * indexed name (customers and contractors are indexed by name) stays at 200
 * characters (at most 800 bytes in UTF-8).
 */
export const TEXT_LIMITS = {
  /** Names and titles (people, customers, contractors, jobs, materials). */
  name: 200,
  /** Short labels: a unit, a skill, a special requirement, an identifier-like text. */
  label: 100,
  phone: 50,
  /** The longest address RFC 5321 allows a mailbox in practice. */
  email: 320,
  address: 500,
  /** Why a status changed; a rating's comment. */
  reason: 2_000,
  /** Notes and descriptions. */
  longText: 10_000,
} as const;

/**
 * Why `text` cannot be stored, or undefined when it can. Postgres keeps no NUL
 * character, and a lone UTF-16 surrogate (half of an emoji, cut by a bad
 * editor or a truncation) is not Unicode: Postgres refuses it in JSON.
 */
export function textProblem(text: string): string | undefined {
  if (text.includes('\0')) return 'text may not contain the NUL character';
  // With the `u` flag a proper surrogate pair is one code point, so only a lone half matches \p{Cs}.
  if (LONE_SURROGATE.test(text)) return 'text holds a broken character (a lone UTF-16 surrogate)';
  return undefined;
}
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A free-text field: well-formed Unicode without NUL (see `textProblem`), at
 * most `max` characters (UTF-16 code units) and at least `min`. With `trim`,
 * surrounding white space is dropped before the lengths are checked.
 */
export function textSchema(options: { max: number; min?: number; trim?: boolean }) {
  const text = options.trim ? z.string().trim() : z.string();
  return text
    .min(options.min ?? 0)
    .max(options.max)
    .check((ctx) => {
      const problem = textProblem(ctx.value);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    });
}

/** Most entries a list field (a contractor's skills, a job's special requirements) may hold. */
export const MAX_LIST_ITEMS = 50;
