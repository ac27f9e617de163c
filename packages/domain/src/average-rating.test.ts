import { expect, test } from 'vitest';
import { averageRating } from './average-rating';

test('averages to two decimals, null when empty', () => {
  expect(averageRating([])).toBeNull();
  expect(averageRating([5])).toBe(5);
  expect(averageRating([5, 4, 4])).toBe(4.33);
  expect(averageRating([1, 2])).toBe(1.5);
});
