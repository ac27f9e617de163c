import { expect, test } from 'vitest';
import { explainRecommendation } from './explanation';

const NY = 'America/New_York';

test('on the desired day', () => {
  expect(
    explainRecommendation({
      rating: 4.6,
      distanceMiles: 3.21,
      slotStart: '2026-11-24T14:00:00Z',
      dayOffset: 0,
      timeZone: NY,
    }),
  ).toBe('4.6★, 3.2 mi away, free at 09:00 on the desired day');
});

test('late, with the day named in the organization time zone', () => {
  // 18:30Z on 24 Nov is 13:30 EST, a Tuesday.
  expect(
    explainRecommendation({
      rating: 5,
      distanceMiles: 12,
      slotStart: '2026-11-24T18:30:00Z',
      dayOffset: 2,
      timeZone: NY,
    }),
  ).toBe('5.0★, 12.0 mi away, free at 13:30 on Tue 24 Nov (2 days late)');
  expect(
    explainRecommendation({
      rating: 3,
      distanceMiles: 0,
      slotStart: '2026-03-09T12:00:00Z',
      dayOffset: 1,
      timeZone: NY,
    }),
  ).toBe('3.0★, 0.0 mi away, free at 08:00 on Mon 9 Mar (1 day late)');
});

test('unknown distance is said out loud', () => {
  expect(
    explainRecommendation({
      rating: 4,
      distanceMiles: null,
      slotStart: '2026-11-24T14:00:00Z',
      dayOffset: 0,
      timeZone: NY,
    }),
  ).toBe('4.0★, distance unknown (job has no location), free at 09:00 on the desired day');
});

test('the matched skills are named after the slot', () => {
  expect(
    explainRecommendation({
      rating: 4.6,
      distanceMiles: 3.21,
      slotStart: '2026-11-24T14:00:00Z',
      dayOffset: 0,
      timeZone: NY,
      matchedSkills: ['hardwood refinishing', 'stairs'],
    }),
  ).toBe('4.6★, 3.2 mi away, free at 09:00 on the desired day, has hardwood refinishing, stairs');
});
