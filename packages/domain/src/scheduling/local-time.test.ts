import fc from 'fast-check';
import { expect, test } from 'vitest';
import {
  addDaysToLocalDate,
  daysBetweenLocalDates,
  localDateTimeToUtc,
  minutesOfLocalTime,
  parseInstant,
  utcToLocalDateTime,
  weekdayOfLocalDate,
} from './local-time';

const NY = 'America/New_York';

test('winter and summer wall times map to UTC with EST (−5) and EDT (−4)', () => {
  expect(localDateTimeToUtc('2026-01-15', '09:00', NY)).toBe('2026-01-15T14:00:00.000Z');
  expect(localDateTimeToUtc('2026-07-15', '09:00', NY)).toBe('2026-07-15T13:00:00.000Z');
  expect(localDateTimeToUtc('2026-07-15', '09:00', 'UTC')).toBe('2026-07-15T09:00:00.000Z');
  expect(localDateTimeToUtc('2026-07-15', '09:00', 'Asia/Kolkata')).toBe('2026-07-15T03:30:00.000Z');
});

test('spring forward (New York, Sun 8 Mar 2026, 02:00 EST → 03:00 EDT)', () => {
  expect(localDateTimeToUtc('2026-03-08', '01:30', NY)).toBe('2026-03-08T06:30:00.000Z');
  expect(localDateTimeToUtc('2026-03-08', '03:00', NY)).toBe('2026-03-08T07:00:00.000Z');
  // 02:30 never happens that day: moved forward by the hour gap to 03:30 EDT.
  expect(localDateTimeToUtc('2026-03-08', '02:30', NY)).toBe('2026-03-08T07:30:00.000Z');
  expect(localDateTimeToUtc('2026-03-08', '09:00', NY)).toBe('2026-03-08T13:00:00.000Z');
  expect(localDateTimeToUtc('2026-03-07', '09:00', NY)).toBe('2026-03-07T14:00:00.000Z');
});

test('fall back (New York, Sun 1 Nov 2026, 02:00 EDT → 01:00 EST)', () => {
  expect(localDateTimeToUtc('2026-11-01', '00:30', NY)).toBe('2026-11-01T04:30:00.000Z');
  // 01:30 happens twice; the earlier (EDT) one wins.
  expect(localDateTimeToUtc('2026-11-01', '01:30', NY)).toBe('2026-11-01T05:30:00.000Z');
  expect(localDateTimeToUtc('2026-11-01', '03:00', NY)).toBe('2026-11-01T08:00:00.000Z');
  expect(utcToLocalDateTime('2026-11-01T05:30:00Z', NY).time).toBe('01:30');
  expect(utcToLocalDateTime('2026-11-01T06:30:00Z', NY).time).toBe('01:30');
});

test('UTC back to the local wall clock', () => {
  expect(utcToLocalDateTime('2026-11-24T18:30:00.000Z', NY)).toEqual({
    date: '2026-11-24',
    time: '13:30',
    dayOfWeek: 2,
  });
  // 03:00Z on the 1st is still the evening before in New York.
  expect(utcToLocalDateTime(Date.UTC(2026, 0, 1, 3, 0), NY)).toEqual({
    date: '2025-12-31',
    time: '22:00',
    dayOfWeek: 3,
  });
  expect(utcToLocalDateTime('2026-01-01T05:00:00Z', NY).time).toBe('00:00');
});

test('weekday, adding days and counting days on local dates', () => {
  expect(weekdayOfLocalDate('2026-03-08')).toBe(0);
  expect(weekdayOfLocalDate('2026-11-24')).toBe(2);
  expect(weekdayOfLocalDate('2024-02-29')).toBe(4);
  expect(addDaysToLocalDate('2026-12-31', 1)).toBe('2027-01-01');
  expect(addDaysToLocalDate('2024-02-28', 1)).toBe('2024-02-29');
  expect(addDaysToLocalDate('2026-03-01', -1)).toBe('2026-02-28');
  // Calendar days, not 24-hour periods: a DST switch in between changes nothing.
  expect(addDaysToLocalDate('2026-03-07', 2)).toBe('2026-03-09');
  expect(daysBetweenLocalDates('2026-11-24', '2026-11-26')).toBe(2);
  expect(daysBetweenLocalDates('2026-11-26', '2026-11-24')).toBe(-2);
});

test('bad input is refused with a RangeError', () => {
  expect(() => localDateTimeToUtc('2026-02-30', '09:00', NY)).toThrow(RangeError);
  expect(() => localDateTimeToUtc('2026-2-3', '09:00', NY)).toThrow(RangeError);
  expect(() => localDateTimeToUtc('2026-02-03', '9:00', NY)).toThrow(RangeError);
  expect(() => localDateTimeToUtc('2026-02-03', '24:30', NY)).toThrow(RangeError);
  expect(() => localDateTimeToUtc('2026-02-03', '09:00', 'Mars/Olympus_Mons')).toThrow(RangeError);
  // No zone designator: Date.parse would read device-local time.
  expect(() => parseInstant('2026-02-03T09:00:00')).toThrow(RangeError);
  expect(parseInstant('2026-02-03T09:00:00+01:00')).toBe(Date.UTC(2026, 1, 3, 8));
});

test('times of day parse to minutes, seconds and 24:00 included', () => {
  expect(minutesOfLocalTime('00:00')).toBe(0);
  expect(minutesOfLocalTime('08:30')).toBe(510);
  expect(minutesOfLocalTime('17:00:00')).toBe(1020);
  expect(minutesOfLocalTime('24:00')).toBe(1440);
  expect(localDateTimeToUtc('2026-01-15', '24:00', NY)).toBe('2026-01-16T05:00:00.000Z');
});

test('property: local → UTC → local keeps the wall clock, in zones with odd DST', () => {
  const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Sao_Paulo'];
  fc.assert(
    fc.property(
      fc.integer({ min: Date.UTC(2015, 0, 1) / 60_000, max: Date.UTC(2035, 0, 1) / 60_000 }),
      fc.constantFrom(...zones),
      (minute, zone) => {
        const local = utcToLocalDateTime(minute * 60_000, zone);
        const back = localDateTimeToUtc(local.date, local.time, zone);
        expect(utcToLocalDateTime(back, zone)).toEqual(local);
      },
    ),
  );
});
