import { expect, test } from 'vitest';
import {
  DEFAULT_RANGE,
  gridMinutesAtFraction,
  gridMinutesOfInstant,
  intervalBoxes,
  minutesToTime,
  scheduleDays,
  slotAtGridMinutes,
  slotInterval,
  snapMinutes,
  visibleRange,
  wallSlotOf,
  windowBox,
} from './schedule-layout';

const zone = 'America/Denver';

test('a day shows its date; a week runs Monday to Sunday around it', () => {
  expect(scheduleDays('day', '2026-11-25')).toEqual(['2026-11-25']);
  // 2026-11-25 is a Wednesday; 2026-11-29 a Sunday, still in the week that began on the 23rd.
  expect(scheduleDays('week', '2026-11-25')).toEqual([
    '2026-11-23',
    '2026-11-24',
    '2026-11-25',
    '2026-11-26',
    '2026-11-27',
    '2026-11-28',
    '2026-11-29',
  ]);
  expect(scheduleDays('week', '2026-11-29')[0]).toBe('2026-11-23');
});

test('the visible range is 6 AM to 8 PM, widened to whole hours for early and late crews', () => {
  expect(visibleRange([])).toEqual(DEFAULT_RANGE);
  expect(visibleRange([{ startTime: '08:00', endTime: '17:00' }])).toEqual({ start: 360, end: 1200 });
  expect(visibleRange([{ startTime: '05:30:00', endTime: '20:15:00' }])).toEqual({ start: 300, end: 1260 });
});

test('an assignment is drawn at its wall-clock place on the company clock', () => {
  // 16:00Z is 9:00 AM in Denver (MST); two hours long.
  const interval = { start: '2026-11-25T16:00:00.000Z', end: '2026-11-25T18:00:00.000Z' };
  const [day] = intervalBoxes(interval, ['2026-11-25'], DEFAULT_RANGE, zone);
  expect(day?.left).toBeCloseTo((9 * 60 - 360) / 840);
  expect(day?.width).toBeCloseTo(120 / 840);

  const week = scheduleDays('week', '2026-11-25');
  const [inWeek] = intervalBoxes(interval, week, DEFAULT_RANGE, zone);
  expect(inWeek?.left).toBeCloseTo((2 * 840 + 180) / (7 * 840));
  expect(inWeek?.width).toBeCloseTo(120 / (7 * 840));
  expect(gridMinutesOfInstant(interval.start, week, DEFAULT_RANGE, zone)).toBe(2 * 840 + 180);
});

test('an assignment is cut to the visible hours, and one on a day not shown is not drawn', () => {
  // 5:00 AM – 7:00 AM Denver: only 6–7 shows.
  const early = { start: '2026-11-25T12:00:00.000Z', end: '2026-11-25T14:00:00.000Z' };
  expect(intervalBoxes(early, ['2026-11-25'], DEFAULT_RANGE, zone)).toEqual([{ left: 0, width: 60 / 840 }]);
  expect(intervalBoxes(early, ['2026-11-26'], DEFAULT_RANGE, zone)).toEqual([]);
  expect(gridMinutesOfInstant(early.start, ['2026-11-26'], DEFAULT_RANGE, zone)).toBeNull();
});

test('working hours are drawn per day and cut to the visible range', () => {
  expect(windowBox({ startTime: '08:00:00', endTime: '16:30:00' }, 0, 1, DEFAULT_RANGE)).toEqual({
    left: 120 / 840,
    width: 510 / 840,
  });
  expect(windowBox({ startTime: '04:00', endTime: '07:00' }, 1, 7, DEFAULT_RANGE)).toEqual({
    left: 840 / (7 * 840),
    width: 60 / (7 * 840),
  });
  expect(windowBox({ startTime: '20:00', endTime: '22:00' }, 0, 1, DEFAULT_RANGE)).toBeNull();
});

test('a point on the track snaps to the nearest quarter hour of the day under it', () => {
  const days = scheduleDays('week', '2026-11-25');
  expect(snapMinutes(187)).toBe(180);
  expect(snapMinutes(188)).toBe(195);
  // 3 h 7 min into the day view: 9:07 → 9:00.
  expect(slotAtGridMinutes(187, ['2026-11-25'], DEFAULT_RANGE)).toEqual({ date: '2026-11-25', minutes: 540 });
  // Third day of the week, 10:30.
  expect(slotAtGridMinutes(2 * 840 + 270, days, DEFAULT_RANGE)).toEqual({ date: '2026-11-25', minutes: 630 });
  // Before the track and past its end are pulled back in.
  expect(slotAtGridMinutes(-40, days, DEFAULT_RANGE)).toEqual({ date: '2026-11-23', minutes: 360 });
  expect(slotAtGridMinutes(7 * 840 + 90, days, DEFAULT_RANGE)).toEqual({ date: '2026-11-29', minutes: 1185 });
  expect(gridMinutesAtFraction(0.5, 1, DEFAULT_RANGE)).toBe(420);
});

test('a slot becomes a UTC interval of the job length, and back', () => {
  const interval = slotInterval({ date: '2026-11-25', minutes: 9 * 60 + 15 }, 90, zone);
  expect(interval).toEqual({ start: '2026-11-25T16:15:00.000Z', end: '2026-11-25T17:45:00.000Z' });
  expect(wallSlotOf(interval.start, zone)).toEqual({ date: '2026-11-25', minutes: 555 });
  expect(minutesToTime(555)).toBe('09:15');
  expect(minutesToTime(0)).toBe('00:00');
});

test('on the spring-forward day a slot is still read on the wall clock', () => {
  // 2026-03-08: Denver moves from MST (−7) to MDT (−6) at 2 AM.
  expect(slotInterval({ date: '2026-03-08', minutes: 9 * 60 }, 60, zone)).toEqual({
    start: '2026-03-08T15:00:00.000Z',
    end: '2026-03-08T16:00:00.000Z',
  });
  const [box] = intervalBoxes(
    { start: '2026-03-08T15:00:00.000Z', end: '2026-03-08T16:00:00.000Z' },
    ['2026-03-08'],
    DEFAULT_RANGE,
    zone,
  );
  expect(box?.left).toBeCloseTo(180 / 840);
});
