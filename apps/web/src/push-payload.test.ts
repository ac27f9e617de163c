import { expect, test } from 'vitest';
import { ownUrl, readPushPayload } from './push-payload';

const ORIGIN = 'https://app.example.com';

test('the server’s payload becomes the notification, opening the job on a tap', () => {
  const alert = readPushPayload(
    JSON.stringify({ title: 'New job: Fix the sink', body: 'Tue 09:00', jobId: 'j 1' }),
    ORIGIN,
  );
  expect(alert).toEqual({
    title: 'New job: Fix the sink',
    body: 'Tue 09:00',
    url: 'https://app.example.com/#/jobs/j%201',
    tag: 'job-j 1',
  });
});

test('a url of the app wins over the job; one elsewhere is ignored', () => {
  expect(readPushPayload(JSON.stringify({ title: 'T', url: '/#/alerts' }), ORIGIN).url).toBe(
    'https://app.example.com/#/alerts',
  );
  const elsewhere = readPushPayload(JSON.stringify({ title: 'T', url: 'https://evil.example/x', jobId: 'j1' }), ORIGIN);
  expect(elsewhere.url).toBe('https://app.example.com/#/jobs/j1');
  expect(ownUrl('javascript:alert(1)', ORIGIN)).toBeUndefined();
});

test('no payload, bad JSON or the wrong shape still shows a plain Fieldsync notification', () => {
  for (const text of [null, '{not json', '[1,2]', '"just text"', JSON.stringify({ title: 42 })]) {
    const alert = readPushPayload(text, ORIGIN);
    expect(alert.title).toBe('Fieldsync');
    expect(alert.body).toMatch(/Open Fieldsync/);
    expect(alert.url).toBe('https://app.example.com/');
    expect(alert.tag).toBeUndefined();
  }
});
