import { DEFAULT_ORGANIZATION_SETTINGS, type Organization } from '@fieldsync/domain';
import { expect, test } from 'vitest';
import type { LocalRow } from '../../sync';
import {
  canChangeRole,
  canIssueLink,
  canSetActive,
  draftPercents,
  filterPeople,
  invitableRoles,
  lastSyncByUser,
  linkUnavailableReason,
  parseSkills,
  percentSum,
  percentsAddUp,
  percentsToWeights,
  percentTextToBasisPoints,
  settingsDraftOf,
  settingsUpdate,
  visiblePeople,
  weightsToPercents,
} from './company-admin';

const ORG = {
  name: 'Acme Floors',
  timeZone: 'America/Denver',
  timeFormat: '12h',
  ...DEFAULT_ORGANIZATION_SETTINGS,
  scoringWeights: { ...DEFAULT_ORGANIZATION_SETTINGS.scoringWeights },
} satisfies Omit<Organization, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>;

function person(name: string, role: LocalRow<'users'>['role'], id = name) {
  return { id, name, role, email: `${name.toLowerCase()}@example.com` } as LocalRow<'users'>;
}

test('an admin sees everyone; a dispatcher sees contractors only; by name', () => {
  const users = [
    person('Zoe', 'contractor'),
    person('Ann', 'admin'),
    person('Dan', 'dispatcher'),
    person('Bo', 'contractor'),
  ];
  expect(visiblePeople(users, 'admin').map((u) => u.name)).toEqual(['Ann', 'Bo', 'Dan', 'Zoe']);
  expect(visiblePeople(users, 'dispatcher').map((u) => u.name)).toEqual(['Bo', 'Zoe']);
  expect(visiblePeople(users, 'contractor')).toEqual([]);
  expect(filterPeople(users, 'ZO', 'all').map((u) => u.name)).toEqual(['Zoe']);
  expect(filterPeople(users, 'example', 'dispatcher').map((u) => u.name)).toEqual(['Dan']);
});

test('who may do what to whom, never on oneself', () => {
  const admin = { id: 'a', role: 'admin' as const };
  const dispatcher = { id: 'd', role: 'dispatcher' as const };
  expect(invitableRoles('admin')).toEqual(['contractor', 'dispatcher', 'admin']);
  expect(invitableRoles('dispatcher')).toEqual(['contractor']);
  expect(canIssueLink(dispatcher, { id: 'c', role: 'contractor' })).toBe(true);
  expect(canIssueLink(dispatcher, { id: 'x', role: 'dispatcher' })).toBe(false);
  expect(canIssueLink(admin, { id: 'x', role: 'dispatcher' })).toBe(true);
  expect(canIssueLink(admin, { id: 'a', role: 'admin' })).toBe(false);
  expect(canChangeRole(admin, { id: 'x', role: 'dispatcher' })).toBe(true);
  expect(canChangeRole(admin, { id: 'c', role: 'contractor' })).toBe(false);
  expect(canChangeRole(admin, { id: 'a', role: 'admin' })).toBe(false);
  expect(canChangeRole(dispatcher, { id: 'x', role: 'dispatcher' })).toBe(false);
  expect(canSetActive(admin, { id: 'c', role: 'contractor' })).toBe(true);
  expect(canSetActive(admin, { id: 'a', role: 'admin' })).toBe(false);
  expect(canSetActive(dispatcher, { id: 'c', role: 'contractor' })).toBe(false);
});

test('the link button says why it is off: deactivated, invite unsent, offline', () => {
  expect(linkUnavailableReason({ online: true, status: 'invited', inviteUnsent: false })).toBeNull();
  expect(linkUnavailableReason({ online: true, status: 'invited', inviteUnsent: true })).toBe(
    'Available once this invite has synced.',
  );
  expect(linkUnavailableReason({ online: false, status: 'active', inviteUnsent: false })).toMatch(/connection/);
  expect(linkUnavailableReason({ online: true, status: 'deactivated', inviteUnsent: false })).toMatch(/Reactivate/);
});

test('last sync per user is the newest push or pull of any of their devices', () => {
  const map = lastSyncByUser([
    { userId: 'u1', lastPushAt: '2026-11-20T10:00:00.000Z', lastPullAt: '2026-11-20T11:00:00.000Z' },
    { userId: 'u1', lastPushAt: null, lastPullAt: '2026-11-21T08:00:00.000Z' },
    { userId: 'u2', lastPushAt: null, lastPullAt: null },
  ]);
  expect(map.get('u1')).toBe('2026-11-21T08:00:00.000Z');
  expect(map.has('u2')).toBe(false);
});

test('skills typed with commas become a list, each once', () => {
  expect(parseSkills(' tiles, grout , ,tiles,mosaic')).toEqual(['tiles', 'grout', 'mosaic']);
});

test('weights become whole percentages that add up to 100, and back', () => {
  expect(weightsToPercents({ availability: 0.4, rating: 0.35, distance: 0.25 })).toEqual({
    availability: 40,
    rating: 35,
    distance: 25,
  });
  const third = 1 / 3;
  const split = weightsToPercents({ availability: third, rating: third, distance: third });
  expect(percentSum(split)).toBe(100);
  expect(percentsAddUp({ availability: 50, rating: 30, distance: 20 })).toBe(true);
  expect(percentsAddUp({ availability: 50, rating: 30, distance: 30 })).toBe(false);
  expect(percentsAddUp({ availability: 120, rating: -10, distance: -10 })).toBe(false);
  expect(percentsAddUp({ availability: Number.NaN, rating: 50, distance: 50 })).toBe(false);
  expect(percentsToWeights({ availability: 50, rating: 30, distance: 20 })).toEqual({
    availability: 0.5,
    rating: 0.3,
    distance: 0.2,
  });
});

test('tax rate percent ↔ basis points', () => {
  expect(percentTextToBasisPoints('8.25')).toBe(825);
  expect(percentTextToBasisPoints('0')).toBe(0);
  expect(percentTextToBasisPoints('100')).toBe(10_000);
  expect(percentTextToBasisPoints('7,5')).toBe(750);
  expect(percentTextToBasisPoints('8.255')).toBeNull();
  expect(percentTextToBasisPoints('101')).toBeNull();
  expect(percentTextToBasisPoints('-1')).toBeNull();
  expect(settingsDraftOf({ ...ORG, taxRateBasisPoints: 825 }).taxRatePercent).toBe('8.25');
});

test('saving sends only the changed fields, with base = what the form started from', () => {
  const draft = settingsDraftOf(ORG);
  expect(settingsUpdate(ORG, draft)).toEqual({ ok: true, patch: {}, base: {} });
  const edited = {
    ...draft,
    name: '  Acme Floors West ',
    percents: { availability: '50', rating: '30', distance: '20' },
    taxRatePercent: '8.25',
    currency: 'eur',
  };
  expect(settingsUpdate(ORG, edited)).toEqual({
    ok: true,
    patch: {
      name: 'Acme Floors West',
      scoringWeights: { availability: 0.5, rating: 0.3, distance: 0.2 },
      currency: 'EUR',
      taxRateBasisPoints: 825,
    },
    base: {
      name: 'Acme Floors',
      scoringWeights: { availability: 0.4, rating: 0.35, distance: 0.25 },
      currency: 'USD',
      taxRateBasisPoints: 0,
    },
  });
});

test('an untouched uneven split is not sent back rounded', () => {
  const third = 1 / 3;
  const org = { ...ORG, scoringWeights: { availability: third, rating: third, distance: third } };
  expect(settingsUpdate(org, settingsDraftOf(org))).toEqual({ ok: true, patch: {}, base: {} });
});

test('weights that do not add up to 100 and bad values are refused per field in plain words', () => {
  const draft = settingsDraftOf(ORG);
  const result = settingsUpdate(ORG, {
    ...draft,
    percents: { availability: '50', rating: '30', distance: '30' },
    overdueMinutes: '0',
    timeZone: 'Mars/Olympus',
    name: ' ',
  });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.problems.scoringWeights).toBe('The weights add up to 110 %; they must add up to exactly 100 %.');
  expect(result.problems.overdueMinutes).toBe('Overdue after (minutes) must be at least 1.');
  expect(result.problems.timeZone).toMatch(/^Time zone/);
  expect(result.problems.name).toMatch(/^Company name/);
  expect(
    draftPercents({ ...draft, percents: { availability: '', rating: '1', distance: '2' } }).availability,
  ).toBeNaN();
});
