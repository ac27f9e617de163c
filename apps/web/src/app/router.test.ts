import { expect, test } from 'vitest';
import { parseRoute } from './router';

test('hashes name the phone screens; anything unknown is the agenda', () => {
  expect(parseRoute('#/jobs/abc')).toEqual({ name: 'job', jobId: 'abc' });
  expect(parseRoute('#/day/2026-11-30')).toEqual({ name: 'agenda', day: '2026-11-30' });
  expect(parseRoute('#/notifications')).toEqual({ name: 'notifications' });
  expect(parseRoute('#/shopping')).toEqual({ name: 'shopping' });
  expect(parseRoute('#/shopping/')).toEqual({ name: 'shopping' });
  expect(parseRoute('#/nowhere')).toEqual({ name: 'agenda' });
  expect(parseRoute('')).toEqual({ name: 'agenda' });
});
