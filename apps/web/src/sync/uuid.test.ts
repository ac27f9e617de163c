import { expect, test } from 'vitest';
import { uuidv7 } from './uuid';

test('uuidv7 carries the time, version 7 and the RFC variant', () => {
  const id = uuidv7(Date.parse('2026-11-21T09:00:00Z'));
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2026-11-21T09:00:00Z'));
  expect(uuidv7(1)).not.toBe(uuidv7(1));
  // Later ids sort after earlier ones.
  expect(uuidv7(2_000) > uuidv7(1_000)).toBe(true);
});
