import { expect, test } from 'vitest';
import { forwardedAddress } from './client-address';

test('without trusted proxies X-Forwarded-For is ignored: anyone can write it', () => {
  expect(forwardedAddress('203.0.113.7', 0)).toBeUndefined();
});

test('behind one proxy the caller is the address that proxy appended', () => {
  expect(forwardedAddress('203.0.113.7', 1)).toBe('203.0.113.7');
  // A caller's own made-up entry stays to the left and is not believed.
  expect(forwardedAddress('10.9.9.9, 203.0.113.7', 1)).toBe('203.0.113.7');
});

test('behind two proxies the caller is two hops from the right', () => {
  expect(forwardedAddress('198.51.100.1, 203.0.113.7, 10.0.0.2', 2)).toBe('203.0.113.7');
  // Fewer hops than proxies: the leftmost is the best there is.
  expect(forwardedAddress('203.0.113.7', 2)).toBe('203.0.113.7');
});

test('an empty header says nothing', () => {
  expect(forwardedAddress('', 1)).toBeUndefined();
  expect(forwardedAddress(' , ', 1)).toBeUndefined();
  expect(forwardedAddress(undefined, 1)).toBeUndefined();
});
