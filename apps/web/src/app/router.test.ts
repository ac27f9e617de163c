import { expect, test } from 'vitest';
import { estimateHref, estimatePrintHref, newEstimateHref, parseRoute } from './router';

test('hashes name the phone screens; anything unknown is the agenda', () => {
  expect(parseRoute('#/jobs/abc')).toEqual({ name: 'job', jobId: 'abc' });
  expect(parseRoute('#/day/2026-11-30')).toEqual({ name: 'agenda', day: '2026-11-30' });
  expect(parseRoute('#/notifications')).toEqual({ name: 'notifications' });
  expect(parseRoute('#/shopping')).toEqual({ name: 'shopping' });
  expect(parseRoute('#/shopping/')).toEqual({ name: 'shopping' });
  expect(parseRoute('#/nowhere')).toEqual({ name: 'agenda' });
  expect(parseRoute('')).toEqual({ name: 'agenda' });
});

test('estimate screens: new for a job, one estimate, its print view', () => {
  expect(parseRoute('#/estimates/new/job-1')).toEqual({ name: 'estimate-new', jobId: 'job-1' });
  expect(parseRoute('#/estimates/est-1')).toEqual({ name: 'estimate', estimateId: 'est-1' });
  expect(parseRoute('#/estimates/est-1/print')).toEqual({ name: 'estimate-print', estimateId: 'est-1' });
  expect(parseRoute('#/estimates/new')).toEqual({ name: 'agenda' });
  expect(parseRoute('#/estimates')).toEqual({ name: 'agenda' });
});

test('estimate links parse back to their screens', () => {
  expect(parseRoute(newEstimateHref('a/b'))).toEqual({ name: 'estimate-new', jobId: 'a/b' });
  expect(parseRoute(estimateHref('e 1'))).toEqual({ name: 'estimate', estimateId: 'e 1' });
  expect(parseRoute(estimatePrintHref('e1'))).toEqual({ name: 'estimate-print', estimateId: 'e1' });
});
