import fc from 'fast-check';
import { expect, test } from 'vitest';
import {
  availabilityScore,
  distanceScore,
  ratingScore,
  roundScore,
  totalScore,
  UNKNOWN_DISTANCE_SCORE,
} from './scores';
import { DEFAULT_SCORING_SETTINGS, scoringSettingsSchema } from './scoring-settings';

const weights = DEFAULT_SCORING_SETTINGS.weights;

test('component scores follow the design formulas', () => {
  expect(availabilityScore(0)).toBe(1);
  expect(availabilityScore(3)).toBe(0.7); // 1 − 0.1 × 3
  expect(availabilityScore(10)).toBe(0); // 1 − 0.1 × 10
  expect(availabilityScore(12)).toBe(0); // 1 − 1.2 floored at 0
  expect(ratingScore(4.6)).toBeCloseTo(0.92, 12); // 4.6 / 5
  expect(ratingScore(5)).toBe(1);
  expect(distanceScore(10, 50)).toBeCloseTo(0.8, 12); // 1 − 10 / 50
  expect(distanceScore(0, 50)).toBe(1);
  expect(distanceScore(60, 50)).toBe(0); // 1 − 1.2 floored at 0
  expect(distanceScore(null, 50)).toBe(UNKNOWN_DISTANCE_SCORE);
});

test('hand-computed totals with the default weights 0.40 / 0.35 / 0.25', () => {
  // same day, 4.6★, 10 mi: 0.40 × 1 + 0.35 × 0.92 + 0.25 × 0.8 = 0.4 + 0.322 + 0.2 = 0.922
  const a = { availability: availabilityScore(0), rating: ratingScore(4.6), distance: distanceScore(10, 50) };
  expect(totalScore(a, weights)).toBeCloseTo(0.922, 12);
  // 3 days late, 3.5★, 30 mi: 0.40 × 0.7 + 0.35 × 0.7 + 0.25 × 0.4 = 0.28 + 0.245 + 0.1 = 0.625
  const b = { availability: availabilityScore(3), rating: ratingScore(3.5), distance: distanceScore(30, 50) };
  expect(totalScore(b, weights)).toBeCloseTo(0.625, 12);
  // job without location, 12 days late, 0★: 0.40 × 0 + 0.35 × 0 + 0.25 × 0.5 = 0.125
  const c = { availability: availabilityScore(12), rating: ratingScore(0), distance: distanceScore(null, 50) };
  expect(totalScore(c, weights)).toBe(0.125);
});

test('roundScore keeps 4 decimals', () => {
  expect(roundScore(0.937_451)).toBe(0.9375);
  expect(roundScore(0.816_354)).toBe(0.8164);
  expect(roundScore(1.000_000_000_000_000_2)).toBe(1);
});

test('settings schema accepts the defaults and refuses weights that do not sum to 1', () => {
  expect(scoringSettingsSchema.parse(DEFAULT_SCORING_SETTINGS)).toEqual(DEFAULT_SCORING_SETTINGS);
  const bad = { ...DEFAULT_SCORING_SETTINGS, weights: { availability: 0.5, rating: 0.5, distance: 0.5 } };
  expect(scoringSettingsSchema.safeParse(bad).success).toBe(false);
  expect(scoringSettingsSchema.safeParse({ ...DEFAULT_SCORING_SETTINGS, maxDistanceMiles: 0 }).success).toBe(false);
});

const weightsSummingToOne = fc
  .tuple(fc.nat(1000), fc.nat(1000), fc.nat(1000))
  .filter(([a, r, d]) => a + r + d > 0)
  .map(([a, r, d]) => ({ availability: a / (a + r + d), rating: r / (a + r + d), distance: d / (a + r + d) }));
const dayOffset = fc.integer({ min: 0, max: 20 });
const rating = fc.double({ min: 0, max: 5, noNaN: true });
const miles = fc.double({ min: 0, max: 200, noNaN: true });
const maxMiles = fc.double({ min: 1, max: 200, noNaN: true });

test('property: total score stays within 0 … 1 when weights sum to 1', () => {
  fc.assert(
    fc.property(weightsSummingToOne, dayOffset, rating, fc.option(miles), maxMiles, (w, d, r, m, max) => {
      const total = totalScore(
        { availability: availabilityScore(d), rating: ratingScore(r), distance: distanceScore(m, max) },
        w,
      );
      expect(total).toBeGreaterThanOrEqual(0);
      expect(total).toBeLessThanOrEqual(1 + 1e-12);
      expect(roundScore(total)).toBeLessThanOrEqual(1);
    }),
  );
});

test('property: total is non-increasing in distance and non-decreasing in rating', () => {
  fc.assert(
    fc.property(weightsSummingToOne, dayOffset, rating, rating, miles, miles, maxMiles, (w, d, r1, r2, m1, m2, max) => {
      const score = (r: number, m: number) =>
        totalScore({ availability: availabilityScore(d), rating: ratingScore(r), distance: distanceScore(m, max) }, w);
      const [near, far] = m1 <= m2 ? [m1, m2] : [m2, m1];
      const [low, high] = r1 <= r2 ? [r1, r2] : [r2, r1];
      expect(score(r1, far)).toBeLessThanOrEqual(score(r1, near));
      expect(score(low, m1)).toBeLessThanOrEqual(score(high, m1));
    }),
  );
});

test('property: availability is non-increasing in days late', () => {
  fc.assert(
    fc.property(dayOffset, dayOffset, (a, b) => {
      const [early, late] = a <= b ? [a, b] : [b, a];
      expect(availabilityScore(late)).toBeLessThanOrEqual(availabilityScore(early));
    }),
  );
});
