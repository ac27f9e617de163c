import fc from 'fast-check';
import { expect, test } from 'vitest';
import { deepEqualJson } from './deep-equal-json';

test('compares JSON structurally, ignoring key order', () => {
  expect(deepEqualJson({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true);
  expect(deepEqualJson([1, 2], [2, 1])).toBe(false);
  expect(deepEqualJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  expect(deepEqualJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  expect(deepEqualJson(null, {})).toBe(false);
  expect(deepEqualJson([], {})).toBe(false);
  expect(deepEqualJson('1', 1)).toBe(false);
});

test('property: agrees with a JSON round trip', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      expect(deepEqualJson(value, JSON.parse(JSON.stringify(value)))).toBe(true);
    }),
  );
});

test('property: symmetric', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
      expect(deepEqualJson(a, b)).toBe(deepEqualJson(b, a));
    }),
  );
});
