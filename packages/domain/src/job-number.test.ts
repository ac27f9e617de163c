import fc from 'fast-check';
import { expect, test } from 'vitest';
import { formatJobNumber, JOB_NUMBER_PATTERN, randomJobNumberSuffix } from './job-number';

test('formats from a calendar date or a Date (UTC)', () => {
  expect(formatJobNumber('2026-11-21', 'ab12cd')).toBe('JOB-20261121-AB12CD');
  expect(formatJobNumber(new Date('2026-11-21T23:30:00Z'), 'AB12CD')).toBe('JOB-20261121-AB12CD');
});

test('refuses malformed input', () => {
  expect(() => formatJobNumber('21/11/2026', 'AB12CD')).toThrow(RangeError);
  expect(() => formatJobNumber('2026-11-21', 'AB12C')).toThrow(RangeError);
  expect(() => formatJobNumber('2026-11-21', 'AB-2CD')).toThrow(RangeError);
  expect(() => formatJobNumber(new Date(Number.NaN), 'AB12CD')).toThrow(RangeError);
});

test('property: random suffixes always make a valid job number', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 6, maxLength: 6 }),
      (values) => {
        let i = 0;
        const suffix = randomJobNumberSuffix(() => values[i++] ?? 0);
        expect(formatJobNumber('2026-01-02', suffix)).toMatch(JOB_NUMBER_PATTERN);
      },
    ),
  );
  expect(randomJobNumberSuffix(() => 0)).toBe('AAAAAA');
  expect(randomJobNumberSuffix(() => 0.9999999)).toBe('999999');
});
