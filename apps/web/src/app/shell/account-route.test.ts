import { expect, test } from 'vitest';
import { parseAccountRoute } from './account-route';

test('sign-up and invite links are read from the hash', () => {
  expect(parseAccountRoute('#/signup')).toEqual({ name: 'signup' });
  expect(parseAccountRoute('#/invite/abc_DEF-123')).toEqual({ name: 'invite', token: 'abc_DEF-123' });
  expect(parseAccountRoute('#invite/abc')).toEqual({ name: 'invite', token: 'abc' });
});

test("anything else belongs to the role apps' own routes", () => {
  for (const hash of [
    '',
    '#/',
    '#/jobs/1',
    '#/invite',
    '#/invite/',
    '#/invite/a/b',
    '#/signup/x',
    '#/invite/%E0%A4%A',
  ]) {
    expect(parseAccountRoute(hash)).toBeNull();
  }
});
