import { expect, test } from 'vitest';
import { listTimeZones, resolveTimeZone, timeZoneLabel } from './time-zones';

const ZONES = ['America/New_York', 'America/Denver', 'Europe/Berlin', 'Europe/London', 'UTC', 'Asia/Kolkata'];

test('the list is what Intl knows, with UTC', () => {
  const zones = listTimeZones();
  expect(zones).toContain('Europe/Berlin');
  expect(zones).toContain('UTC');
  expect(new Set(zones).size).toBe(zones.length);
});

test('typed text resolves to a zone in any case, with spaces for underscores', () => {
  expect(resolveTimeZone('Europe/Berlin', ZONES)).toBe('Europe/Berlin');
  expect(resolveTimeZone('  america/new york ', ZONES)).toBe('America/New_York');
  expect(resolveTimeZone('utc', ZONES)).toBe('UTC');
});

test('a city alone is enough when it names one zone', () => {
  expect(resolveTimeZone('berlin', ZONES)).toBe('Europe/Berlin');
  expect(resolveTimeZone('New York', ZONES)).toBe('America/New_York');
});

test('unknown, empty or partial text resolves to nothing', () => {
  for (const text of ['', '   ', 'Europe', 'Berl', 'Mars/Olympus']) expect(resolveTimeZone(text, ZONES)).toBeNull();
  expect(resolveTimeZone('London', ['Europe/London', 'Canada/London'])).toBeNull();
});

test('labels name the city and its offset at that moment', () => {
  const winter = new Date('2026-01-15T12:00:00Z');
  const summer = new Date('2026-07-15T12:00:00Z');
  expect(timeZoneLabel('Europe/Berlin', winter)).toBe('Berlin (GMT+1)');
  expect(timeZoneLabel('Europe/Berlin', summer)).toBe('Berlin (GMT+2)');
  expect(timeZoneLabel('America/New_York', winter)).toBe('New York (GMT-5)');
  // ICU builds differ on whether the zero offset shows as "GMT" or "GMT+0".
  expect(timeZoneLabel('UTC', winter)).toMatch(/^UTC \(GMT(\+0)?\)$/);
});
