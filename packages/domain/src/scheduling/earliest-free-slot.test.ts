import { expect, test } from 'vitest';
import { earliestFreeSlot } from './earliest-free-slot';

const NY = 'America/New_York';
const weekdays = [1, 2, 3, 4, 5].map((dayOfWeek) => ({ dayOfWeek, startTime: '08:00', endTime: '16:00' }));

test('a free desired day gives day offset 0 and the first three slots', () => {
  // Tue 24 Nov 2026, EST: 08:00 = 13:00Z
  const found = earliestFreeSlot({
    desiredDate: '2026-11-24',
    timeZone: NY,
    workingHours: weekdays,
    busy: [],
    durationMinutes: 120,
  });
  expect(found).toEqual({
    slot: { start: '2026-11-24T13:00:00.000Z', end: '2026-11-24T15:00:00.000Z' },
    date: '2026-11-24',
    dayOffset: 0,
    slots: [
      { start: '2026-11-24T13:00:00.000Z', end: '2026-11-24T15:00:00.000Z' },
      { start: '2026-11-24T13:30:00.000Z', end: '2026-11-24T15:30:00.000Z' },
      { start: '2026-11-24T14:00:00.000Z', end: '2026-11-24T16:00:00.000Z' },
    ],
  });
});

test('a weekend desired date moves to Monday, two days late', () => {
  // Sat 17 Jan 2026 → Mon 19 Jan 08:00 EST = 13:00Z
  const found = earliestFreeSlot({
    desiredDate: '2026-01-17',
    timeZone: NY,
    workingHours: weekdays,
    busy: [],
    durationMinutes: 60,
  });
  expect(found?.dayOffset).toBe(2);
  expect(found?.date).toBe('2026-01-19');
  expect(found?.slot.start).toBe('2026-01-19T13:00:00.000Z');
});

test('display slots run on into the next day when the first day is nearly full', () => {
  // Tue 24 Nov busy 08:00–14:00 local (13:00Z–19:00Z): only 14:00 fits a 120-minute job that day.
  const busy = [{ start: '2026-11-24T13:00:00Z', end: '2026-11-24T19:00:00Z' }];
  const found = earliestFreeSlot({
    desiredDate: '2026-11-24',
    timeZone: NY,
    workingHours: weekdays,
    busy,
    durationMinutes: 120,
  });
  expect(found?.dayOffset).toBe(0);
  expect(found?.slots.map((s) => s.start)).toEqual([
    '2026-11-24T19:00:00.000Z',
    '2026-11-25T13:00:00.000Z',
    '2026-11-25T13:30:00.000Z',
  ]);
});

test('the window is day 0 … day searchDays inclusive', () => {
  // Desired Sun 1 Nov 2026; the contractor only works Wednesdays: 4, 11 and 18 Nov.
  const wednesdays = [{ dayOfWeek: 3, startTime: '08:00', endTime: '16:00' }];
  const busy = [{ start: '2026-11-04T00:00:00Z', end: '2026-11-05T00:00:00Z' }];
  const base = { desiredDate: '2026-11-01', timeZone: NY, workingHours: wednesdays, busy, durationMinutes: 60 };
  // 11 Nov is day 10: still inside.
  expect(earliestFreeSlot(base)?.dayOffset).toBe(10);
  // With a 9-day window it is out of reach.
  expect(earliestFreeSlot({ ...base, searchDays: 9 })).toBeNull();
  // Nobody home at all.
  expect(earliestFreeSlot({ ...base, workingHours: [] })).toBeNull();
});

test('never proposes a slot before now; the offset still counts from the desired date', () => {
  // Desired Mon 19 Jan 2026, now Wed 21 Jan 10:10 EST (15:10Z): first slot Wed 10:30 = 15:30Z.
  const found = earliestFreeSlot({
    desiredDate: '2026-01-19',
    timeZone: NY,
    workingHours: weekdays,
    busy: [],
    durationMinutes: 60,
    now: '2026-01-21T15:10:00Z',
  });
  expect(found?.slot.start).toBe('2026-01-21T15:30:00.000Z');
  expect(found?.dayOffset).toBe(2);
});

test('an overdue job is searched from today, so it can still be placed', () => {
  // Desired 1 Jan 2026, now Mon 2 Feb 2026 07:00 EST (12:00Z): 32 days late, placed at 08:00 today.
  const found = earliestFreeSlot({
    desiredDate: '2026-01-01',
    timeZone: NY,
    workingHours: weekdays,
    busy: [],
    durationMinutes: 60,
    now: '2026-02-02T12:00:00Z',
  });
  expect(found?.slot.start).toBe('2026-02-02T13:00:00.000Z');
  expect(found?.dayOffset).toBe(32);
});

test('now before the desired date changes nothing', () => {
  const base = { desiredDate: '2026-11-24', timeZone: NY, workingHours: weekdays, busy: [], durationMinutes: 60 };
  expect(earliestFreeSlot({ ...base, now: '2026-11-01T12:00:00Z' })).toEqual(earliestFreeSlot(base));
});
