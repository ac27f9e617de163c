import fc from 'fast-check';
import { expect, test } from 'vitest';
import { EARTH_RADIUS_MILES, haversineMiles } from './haversine';

// Along a meridian the haversine distance is exactly R × Δφ.
const MILES_PER_DEGREE_OF_LATITUDE = (EARTH_RADIUS_MILES * Math.PI) / 180; // ≈ 69.0976

test('same point is 0 miles; one degree of latitude is 3959 × π / 180 ≈ 69.0976 miles', () => {
  expect(haversineMiles({ lat: 40.7, lng: -74 }, { lat: 40.7, lng: -74 })).toBe(0);
  expect(haversineMiles({ lat: 40, lng: -74 }, { lat: 41, lng: -74 })).toBeCloseTo(MILES_PER_DEGREE_OF_LATITUDE, 9);
  expect(MILES_PER_DEGREE_OF_LATITUDE).toBeCloseTo(69.0976, 4);
});

test('one degree of longitude on the equator is also R × π / 180; at 60° it is half that', () => {
  expect(haversineMiles({ lat: 0, lng: 10 }, { lat: 0, lng: 11 })).toBeCloseTo(MILES_PER_DEGREE_OF_LATITUDE, 9);
  // 2·R·asin(cos60°·sin(0.5°)) ≈ R × π/180 × 0.5 (to within a few feet)
  expect(haversineMiles({ lat: 60, lng: 10 }, { lat: 60, lng: 11 })).toBeCloseTo(MILES_PER_DEGREE_OF_LATITUDE / 2, 2);
});

test('New York to Los Angeles ≈ 2445 miles; antipodes are half the circumference', () => {
  const nyc = { lat: 40.7128, lng: -74.006 };
  const la = { lat: 34.0522, lng: -118.2437 };
  expect(haversineMiles(nyc, la)).toBeGreaterThan(2440);
  expect(haversineMiles(nyc, la)).toBeLessThan(2450);
  expect(haversineMiles({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_MILES, 6);
});

test('property: symmetric and between 0 and π × R', () => {
  const point = fc.record({
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lng: fc.double({ min: -180, max: 180, noNaN: true }),
  });
  fc.assert(
    fc.property(point, point, (a, b) => {
      const d = haversineMiles(a, b);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(Math.PI * EARTH_RADIUS_MILES + 1e-9);
      expect(haversineMiles(b, a)).toBeCloseTo(d, 9);
    }),
  );
});
