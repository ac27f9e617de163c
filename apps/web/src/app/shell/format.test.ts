import { expect, test } from 'vitest';
import {
  addDays,
  type CompanyClock,
  formatDateTime,
  formatDayLabel,
  formatHourMark,
  formatLocalDate,
  formatLongDay,
  formatTime,
  formatWallTime,
  localDayKey,
  todayIn,
} from './format';

const berlin24: CompanyClock = { timeZone: 'Europe/Berlin', timeFormat: '24h' };
const newYork12: CompanyClock = { timeZone: 'America/New_York', timeFormat: '12h' };
const newYork24: CompanyClock = { timeZone: 'America/New_York', timeFormat: '24h' };
const denver12: CompanyClock = { timeZone: 'America/Denver', timeFormat: '12h' };

// 13:05 UTC on a winter day: 14:05 in Berlin (UTC+1), 08:05 in New York (UTC−5).
const winterInstant = '2026-01-15T13:05:00Z';

test("one instant reads on each company's clock, whatever the device's zone", () => {
  expect(formatTime('2026-01-15T19:05:00Z', newYork12)).toBe('2:05 PM');
  expect(formatTime(winterInstant, berlin24)).toBe('14:05');
  expect(formatTime(winterInstant, newYork12)).toBe('8:05 AM');
  expect(formatTime(winterInstant, newYork24)).toBe('08:05');
});

test('epoch milliseconds and Date objects read the same as ISO strings', () => {
  const ms = Date.parse(winterInstant);
  expect(formatTime(ms, berlin24)).toBe('14:05');
  expect(formatTime(new Date(ms), berlin24)).toBe('14:05');
});

test('midnight and noon: 12:00 AM / 00:00 and 12:00 PM / 12:00', () => {
  expect(formatTime('2026-01-15T05:00:00Z', newYork12)).toBe('12:00 AM');
  expect(formatTime('2026-01-15T05:00:00Z', newYork24)).toBe('00:00');
  expect(formatTime('2026-01-15T17:00:00Z', newYork12)).toBe('12:00 PM');
  expect(formatTime('2026-01-15T17:00:00Z', newYork24)).toBe('12:00');
});

test('12-hour times use a plain space before AM/PM, so "9:30 AM" can be searched for', () => {
  expect(formatTime('2026-01-15T14:30:00Z', newYork12)).toBe('9:30 AM');
  expect(formatDateTime('2026-01-15T14:30:00Z', newYork12)).not.toMatch(/[\u202f\u00a0]/);
});

test('date and time together, on the company clock and in its format', () => {
  expect(formatDateTime('2026-11-21T16:30:00Z', denver12)).toBe('Nov 21, 9:30 AM');
  expect(formatDateTime('2026-11-21T16:30:00Z', berlin24)).toBe('Nov 21, 17:30');
  // 23:30 UTC on the 21st is already the 22nd in Berlin.
  expect(formatDateTime('2026-11-21T23:30:00Z', berlin24)).toBe('Nov 22, 00:30');
});

test('missing or unreadable instants say so instead of "Invalid Date"', () => {
  expect(formatDateTime(null, berlin24)).toBe('—');
  expect(formatDateTime(undefined, berlin24)).toBe('—');
  expect(formatDateTime('not a time', berlin24)).toBe('not a time');
  expect(formatTime('not a time', berlin24)).toBe('not a time');
});

test("an instant's day is the company's calendar day", () => {
  // 02:30 UTC on the 22nd is still the evening of the 21st in New York, already the 22nd in Berlin.
  expect(localDayKey('2026-11-22T02:30:00Z', newYork12)).toBe('2026-11-21');
  expect(localDayKey('2026-11-22T02:30:00Z', berlin24)).toBe('2026-11-22');
  expect(todayIn(newYork12, Date.parse('2026-11-22T02:30:00Z'))).toBe('2026-11-21');
});

test('day boundaries follow the zone across the spring-forward switch', () => {
  // New York springs forward on 2026-03-08: midnight before is at 05:00Z (EST), midnight after at 04:00Z (EDT).
  expect(localDayKey('2026-03-08T04:59:59Z', newYork12)).toBe('2026-03-07');
  expect(localDayKey('2026-03-08T05:00:00Z', newYork12)).toBe('2026-03-08');
  expect(localDayKey('2026-03-09T03:59:59Z', newYork12)).toBe('2026-03-08');
  expect(localDayKey('2026-03-09T04:00:00Z', newYork12)).toBe('2026-03-09');
  // 01:59 EST, then the clock jumps straight to 03:00 EDT.
  expect(formatTime('2026-03-08T06:59:00Z', newYork24)).toBe('01:59');
  expect(formatTime('2026-03-08T07:00:00Z', newYork24)).toBe('03:00');
});

test('day boundaries follow the zone across the fall-back switch', () => {
  // Berlin falls back on 2026-10-25: midnight before is at 22:00Z (CEST), midnight after at 23:00Z (CET).
  expect(localDayKey('2026-10-24T21:59:59Z', berlin24)).toBe('2026-10-24');
  expect(localDayKey('2026-10-24T22:00:00Z', berlin24)).toBe('2026-10-25');
  expect(localDayKey('2026-10-25T22:59:59Z', berlin24)).toBe('2026-10-25');
  expect(localDayKey('2026-10-25T23:00:00Z', berlin24)).toBe('2026-10-26');
});

test('stepping days is calendar arithmetic, never 24-hour arithmetic', () => {
  expect(addDays('2026-03-07', 1)).toBe('2026-03-08');
  expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
  expect(addDays('2026-10-25', -1)).toBe('2026-10-24');
  expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
});

test('day labels are relative to the company today, then a short date', () => {
  expect(formatDayLabel('2026-11-21', '2026-11-21')).toBe('Today');
  expect(formatDayLabel('2026-11-22', '2026-11-21')).toBe('Tomorrow');
  expect(formatDayLabel('2026-11-20', '2026-11-21')).toBe('Yesterday');
  expect(formatDayLabel('2026-11-27', '2026-11-21')).toBe('Fri, Nov 27');
  // Across the DST switch "tomorrow" is still the next calendar day.
  expect(formatDayLabel('2026-03-09', '2026-03-08')).toBe('Tomorrow');
});

test('calendar dates are never shifted by a zone', () => {
  expect(formatLocalDate('2026-11-21')).toBe('Sat, Nov 21');
  expect(formatLocalDate(null)).toBe('—');
  expect(formatLongDay('2026-11-21')).toBe('Saturday, November 21, 2026');
});

test('wall-clock times of the working day follow the format and never shift', () => {
  expect(formatWallTime('08:00', newYork12)).toBe('8:00 AM');
  expect(formatWallTime('17:30:00', newYork12)).toBe('5:30 PM');
  expect(formatWallTime('00:15', newYork12)).toBe('12:15 AM');
  expect(formatWallTime('08:00', berlin24)).toBe('08:00');
  expect(formatWallTime('17:30:00', berlin24)).toBe('17:30');
});

test('timeline hour marks follow the format', () => {
  expect([6, 12, 13, 20].map((hour) => formatHourMark(hour, newYork12))).toEqual(['6a', '12p', '1p', '8p']);
  expect([6, 12, 13, 20].map((hour) => formatHourMark(hour, berlin24))).toEqual(['06', '12', '13', '20']);
});
