import { expect, test } from 'vitest';
import { freeSlots } from './free-slots';
import { utcToLocalDateTime } from './local-time';

const NY = 'America/New_York';
// Tue 13 Jan 2026, EST (UTC−5): 09:00–12:00 local is 14:00Z–17:00Z.
const TUESDAY = '2026-01-13';
const tuesdayMorning = [{ dayOfWeek: 2, startTime: '09:00', endTime: '12:00' }];

const localStarts = (slots: { start: string }[]) => slots.map((s) => utcToLocalDateTime(s.start, NY).time);

test('slots start every 30 minutes from the window start and must end by the window end', () => {
  const slots = freeSlots({ date: TUESDAY, timeZone: NY, workingHours: tuesdayMorning, busy: [], durationMinutes: 60 });
  // (180 − 60) / 30 + 1 = 5 starts: 09:00, 09:30, 10:00, 10:30, 11:00
  expect(localStarts(slots)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00']);
  expect(slots[0]).toEqual({ start: '2026-01-13T14:00:00.000Z', end: '2026-01-13T15:00:00.000Z' });
  expect(slots.at(-1)).toEqual({ start: '2026-01-13T16:00:00.000Z', end: '2026-01-13T17:00:00.000Z' });
});

test('a job exactly as long as the window fits once; a longer one not at all', () => {
  const base = { date: TUESDAY, timeZone: NY, workingHours: tuesdayMorning, busy: [] };
  expect(localStarts(freeSlots({ ...base, durationMinutes: 180 }))).toEqual(['09:00']);
  expect(freeSlots({ ...base, durationMinutes: 181 })).toEqual([]);
  expect(freeSlots({ ...base, durationMinutes: 480 })).toEqual([]);
});

test('touching a busy interval at its boundaries is not an overlap', () => {
  // busy 10:00–11:00 local = 15:00Z–16:00Z
  const busy = [{ start: '2026-01-13T15:00:00Z', end: '2026-01-13T16:00:00Z' }];
  const slots = freeSlots({ date: TUESDAY, timeZone: NY, workingHours: tuesdayMorning, busy, durationMinutes: 60 });
  // [09:00,10:00) ends as busy starts, [11:00,12:00) starts as busy ends; 09:30, 10:00, 10:30 overlap.
  expect(localStarts(slots)).toEqual(['09:00', '11:00']);
});

test('a one-minute overlap is enough to make a slot busy; other days are ignored', () => {
  const busy = [
    { start: '2026-01-13T14:59:00Z', end: '2026-01-13T15:01:00Z' }, // 09:59–10:01
    { start: '2026-01-12T14:00:00Z', end: '2026-01-12T22:00:00Z' }, // Monday, irrelevant
  ];
  const slots = freeSlots({ date: TUESDAY, timeZone: NY, workingHours: tuesdayMorning, busy, durationMinutes: 30 });
  // [09:30,10:00) and [10:00,10:30) each share a minute with it.
  expect(localStarts(slots)).toEqual(['09:00', '10:30', '11:00', '11:30']);
});

test('busy all day leaves nothing; a day without working hours has no slots', () => {
  const allDay = [{ start: '2026-01-13T05:00:00Z', end: '2026-01-14T05:00:00Z' }];
  expect(
    freeSlots({ date: TUESDAY, timeZone: NY, workingHours: tuesdayMorning, busy: allDay, durationMinutes: 30 }),
  ).toEqual([]);
  // Wed 14 Jan has no row.
  expect(
    freeSlots({ date: '2026-01-14', timeZone: NY, workingHours: tuesdayMorning, busy: [], durationMinutes: 30 }),
  ).toEqual([]);
  expect(freeSlots({ date: TUESDAY, timeZone: NY, workingHours: [], busy: [], durationMinutes: 30 })).toEqual([]);
});

test('slotMinutes changes the step', () => {
  const slots = freeSlots({
    date: TUESDAY,
    timeZone: NY,
    workingHours: tuesdayMorning,
    busy: [],
    durationMinutes: 150,
    slotMinutes: 15,
  });
  // (180 − 150) / 15 + 1 = 3
  expect(localStarts(slots)).toEqual(['09:00', '09:15', '09:30']);
});

test('DST spring forward: a normal day shifts its UTC offset, a window over 02:00 is an hour shorter', () => {
  const sunday = [{ dayOfWeek: 0, startTime: '08:00', endTime: '10:00' }];
  // Sun 8 Mar 2026 is already EDT at 08:00: 12:00Z, not 13:00Z.
  const normal = freeSlots({ date: '2026-03-08', timeZone: NY, workingHours: sunday, busy: [], durationMinutes: 120 });
  expect(normal).toEqual([{ start: '2026-03-08T12:00:00.000Z', end: '2026-03-08T14:00:00.000Z' }]);
  // 01:00 EST (06:00Z) – 05:00 EDT (09:00Z) is 3 real hours: (180 − 60) / 30 + 1 = 5 starts.
  const night = [{ dayOfWeek: 0, startTime: '01:00', endTime: '05:00' }];
  const slots = freeSlots({ date: '2026-03-08', timeZone: NY, workingHours: night, busy: [], durationMinutes: 60 });
  expect(slots.map((s) => s.start)).toEqual([
    '2026-03-08T06:00:00.000Z',
    '2026-03-08T06:30:00.000Z',
    '2026-03-08T07:00:00.000Z',
    '2026-03-08T07:30:00.000Z',
    '2026-03-08T08:00:00.000Z',
  ]);
  expect(localStarts(slots)).toEqual(['01:00', '01:30', '03:00', '03:30', '04:00']);
  // A 4-hour job does not fit the 3 real hours.
  expect(freeSlots({ date: '2026-03-08', timeZone: NY, workingHours: night, busy: [], durationMinutes: 240 })).toEqual(
    [],
  );
});

test('DST fall back: 00:00–04:00 on Sun 1 Nov 2026 holds five real hours', () => {
  const night = [{ dayOfWeek: 0, startTime: '00:00', endTime: '04:00' }];
  // 00:00 EDT = 04:00Z, 04:00 EST = 09:00Z
  const slots = freeSlots({ date: '2026-11-01', timeZone: NY, workingHours: night, busy: [], durationMinutes: 300 });
  expect(slots).toEqual([{ start: '2026-11-01T04:00:00.000Z', end: '2026-11-01T09:00:00.000Z' }]);
  // The day after is plain EST: 00:00 = 05:00Z.
  const monday = [{ dayOfWeek: 1, startTime: '00:00', endTime: '04:00' }];
  const after = freeSlots({ date: '2026-11-02', timeZone: NY, workingHours: monday, busy: [], durationMinutes: 240 });
  expect(after).toEqual([{ start: '2026-11-02T05:00:00.000Z', end: '2026-11-02T09:00:00.000Z' }]);
});

test('bad durations and intervals are refused', () => {
  const base = { date: TUESDAY, timeZone: NY, workingHours: tuesdayMorning, busy: [] };
  expect(() => freeSlots({ ...base, durationMinutes: 0 })).toThrow(RangeError);
  expect(() => freeSlots({ ...base, durationMinutes: 30, slotMinutes: 0 })).toThrow(RangeError);
  expect(() =>
    freeSlots({ ...base, durationMinutes: 30, busy: [{ start: '2026-01-13T16:00:00Z', end: '2026-01-13T15:00:00Z' }] }),
  ).toThrow(RangeError);
});
