import { expect, test } from 'vitest';
import { describeStrength, estimateStrength } from './password-strength';

test('under eight characters is too short whatever the score', () => {
  expect(describeStrength(7, 4)).toMatchObject({ level: 'too-short', bars: 0 });
  expect(describeStrength(0, null).label).toContain('at least 8 characters');
});

test('scores map to words and bars', () => {
  expect(describeStrength(10, 0)).toMatchObject({ level: 'weak', label: 'Weak', bars: 1 });
  expect(describeStrength(10, 1)).toMatchObject({ level: 'weak', bars: 1 });
  expect(describeStrength(10, 2)).toMatchObject({ level: 'fair', label: 'Fair', bars: 2 });
  expect(describeStrength(10, 3)).toMatchObject({ level: 'good', label: 'Good', bars: 3 });
  expect(describeStrength(10, 4)).toMatchObject({ level: 'strong', label: 'Strong', bars: 4 });
});

test('without the estimator, length is judged', () => {
  expect(describeStrength(8, null).level).toBe('weak');
  expect(describeStrength(12, null).level).toBe('fair');
  expect(describeStrength(16, null).level).toBe('good');
});

test('the estimator finds common passwords weak and long random ones strong', async () => {
  expect((await estimateStrength('password1')).level).toBe('weak');
  const personal = await estimateStrength('adaplumbing', ['Ada Plumbing', 'ada@example.com']);
  expect(personal.level).toBe('weak');
  expect(personal.hint).toMatch(/personal/);
  expect((await estimateStrength('vq7#Lp2!xZ9mWt4r')).level).toBe('strong');
});
