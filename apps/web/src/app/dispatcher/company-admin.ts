import type { Organization, Role, ScoringWeights, UserStatus } from '@fieldsync/domain';
import { EDITABLE_FIELDS } from '@fieldsync/protocol';
import type { LocalRow } from '../../sync';
import { argsProblems } from '../shell/validate-args';

// Pure rules of the people and company-settings screens, apart from React so they can be tested.

export const ROLE_LABEL: Record<Role, string> = { admin: 'Admin', dispatcher: 'Dispatcher', contractor: 'Contractor' };
export const USER_STATUS_LABEL: Record<UserStatus, string> = {
  invited: 'Invited',
  active: 'Active',
  deactivated: 'Deactivated',
};

/** Whom a viewer sees on the people screen: an admin everyone, a dispatcher the contractors. By name. */
export function visiblePeople(users: readonly LocalRow<'users'>[], viewerRole: Role): LocalRow<'users'>[] {
  const visible = viewerRole === 'admin' ? users : viewerRole === 'dispatcher' ? users.filter(isContractor) : [];
  return [...visible].sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
}

function isContractor(user: Pick<LocalRow<'users'>, 'role'>): boolean {
  return user.role === 'contractor';
}

/** People whose name or email holds `search` (any case) and, unless `role` is `all`, of that role. */
export function filterPeople<T extends Pick<LocalRow<'users'>, 'name' | 'email' | 'role'>>(
  people: readonly T[],
  search: string,
  role: Role | 'all',
): T[] {
  const needle = search.trim().toLowerCase();
  return people.filter(
    (person) =>
      (role === 'all' || person.role === role) &&
      (needle === '' || person.name.toLowerCase().includes(needle) || person.email.toLowerCase().includes(needle)),
  );
}

/** The roles a viewer may invite: an admin any, a dispatcher contractors only. */
export function invitableRoles(viewerRole: Role): Role[] {
  if (viewerRole === 'admin') return ['contractor', 'dispatcher', 'admin'];
  if (viewerRole === 'dispatcher') return ['contractor'];
  return [];
}

type Person = Pick<LocalRow<'users'>, 'id' | 'role'>;
type Viewer = { id: string; role: Role };

/** Whether the viewer may issue this person an invite or password-reset link (the endpoint's own rule). */
export function canIssueLink(viewer: Viewer, person: Person): boolean {
  if (viewer.id === person.id) return false;
  return viewer.role === 'admin' || (viewer.role === 'dispatcher' && isContractor(person));
}

/** Role changes are between admin and dispatcher, by an admin, never on oneself. */
export function canChangeRole(viewer: Viewer, person: Person): boolean {
  return viewer.role === 'admin' && viewer.id !== person.id && !isContractor(person);
}

/** Deactivating and reactivating is for admins, never on oneself. */
export function canSetActive(viewer: Viewer, person: Person): boolean {
  return viewer.role === 'admin' && viewer.id !== person.id;
}

/**
 * Why the link button is off, or null when it works. A link is made by the
 * server, for a person the server already has.
 */
export function linkUnavailableReason(input: {
  online: boolean;
  status: UserStatus;
  /** The invite itself is still in this device's outbox. */
  inviteUnsent: boolean;
}): string | null {
  if (input.status === 'deactivated') return 'Reactivate this person before sending them a link.';
  if (input.inviteUnsent) return 'Available once this invite has synced.';
  if (!input.online) return 'Needs a connection: links are made by the server.';
  return null;
}

/** The newest push or pull of each user's devices, from `GET /api/sync/clients`. */
export function lastSyncByUser(
  devices: readonly { userId: string; lastPushAt?: string | null; lastPullAt?: string | null }[],
): Map<string, string> {
  const latest = new Map<string, string>();
  for (const device of devices) {
    for (const at of [device.lastPushAt, device.lastPullAt]) {
      if (typeof at !== 'string') continue;
      const known = latest.get(device.userId);
      if (known === undefined || Date.parse(at) > Date.parse(known)) latest.set(device.userId, at);
    }
  }
  return latest;
}

/** Skills typed as "tiles, grout , ,mosaic" → ["tiles", "grout", "mosaic"] (each once). */
export function parseSkills(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((skill) => skill.trim())
        .filter(Boolean),
    ),
  ];
}

// ——— Scoring weights as percentages ———

export type WeightKey = keyof ScoringWeights;
export const WEIGHT_KEYS: readonly WeightKey[] = ['availability', 'rating', 'distance'];
export type WeightPercents = Record<WeightKey, number>;

/**
 * Weights (0 … 1, summing to 1) as whole percentages that still add up to
 * 100: rounding 1/3 each would give 99, so the leftover goes to the largest
 * remainders.
 */
export function weightsToPercents(weights: ScoringWeights): WeightPercents {
  const exact = WEIGHT_KEYS.map((key) => ({ key, value: weights[key] * 100 }));
  const floors = exact.map(({ key, value }) => ({
    key,
    floor: Math.floor(value + 1e-9),
    rest: value - Math.floor(value + 1e-9),
  }));
  let leftover = 100 - floors.reduce((sum, item) => sum + item.floor, 0);
  const percents = Object.fromEntries(floors.map(({ key, floor }) => [key, floor])) as WeightPercents;
  for (const { key } of [...floors].sort((a, b) => b.rest - a.rest)) {
    if (leftover <= 0) break;
    percents[key] += 1;
    leftover -= 1;
  }
  return percents;
}

/** The sum of the percentages as typed (a blank or non-number field counts as NaN). */
export function percentSum(percents: WeightPercents): number {
  return WEIGHT_KEYS.reduce((sum, key) => sum + percents[key], 0);
}

/** Whether the percentages can be saved: each 0 … 100 and together exactly 100. */
export function percentsAddUp(percents: WeightPercents): boolean {
  const each = WEIGHT_KEYS.every((key) => Number.isFinite(percents[key]) && percents[key] >= 0 && percents[key] <= 100);
  return each && Math.abs(percentSum(percents) - 100) < 1e-6;
}

/** Percentages back to weights; the domain schema accepts the tiny float error of /100. */
export function percentsToWeights(percents: WeightPercents): ScoringWeights {
  return {
    availability: percents.availability / 100,
    rating: percents.rating / 100,
    distance: percents.distance / 100,
  };
}

// ——— Tax rate ———

/** 825 → "8.25". */
export function basisPointsToPercentText(basisPoints: number): string {
  return String(basisPoints / 100);
}

/** "8.25" → 825; null when it is not a percentage from 0 to 100 with at most two decimals. */
export function percentTextToBasisPoints(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(trimmed)) return null;
  const basisPoints = Math.round(Number(trimmed) * 100);
  return basisPoints <= 10_000 ? basisPoints : null;
}

// ——— The settings form ———

type SettingsField = (typeof EDITABLE_FIELDS.organizations)[number];
type Settings = Pick<Organization, SettingsField>;

/** The company settings as the form holds them: text for every typed field. */
export interface SettingsDraft {
  name: string;
  timeZone: string;
  timeFormat: Organization['timeFormat'];
  percents: Record<WeightKey, string>;
  maxDistanceMiles: string;
  overdueMinutes: string;
  staleDeviceHours: string;
  currency: string;
  taxRatePercent: string;
}

export function settingsDraftOf(org: Settings): SettingsDraft {
  const percents = weightsToPercents(org.scoringWeights);
  return {
    name: org.name,
    timeZone: org.timeZone,
    timeFormat: org.timeFormat,
    percents: {
      availability: String(percents.availability),
      rating: String(percents.rating),
      distance: String(percents.distance),
    },
    maxDistanceMiles: String(org.maxDistanceMiles),
    overdueMinutes: String(org.overdueMinutes),
    staleDeviceHours: String(org.staleDeviceHours),
    currency: org.currency,
    taxRatePercent: basisPointsToPercentText(org.taxRateBasisPoints),
  };
}

/** The typed percentages as numbers (blank → NaN, so the sum shows it is incomplete). */
export function draftPercents(draft: SettingsDraft): WeightPercents {
  const read = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
  return {
    availability: read(draft.percents.availability),
    rating: read(draft.percents.rating),
    distance: read(draft.percents.distance),
  };
}

/** Field names of the settings form for messages ("Overdue after (minutes) must be at least 1."). */
export const SETTINGS_LABELS: Readonly<Record<string, string>> = {
  name: 'Company name',
  timeZone: 'Time zone',
  timeFormat: 'Time format',
  scoringWeights: 'Scoring weights',
  maxDistanceMiles: 'Max distance (miles)',
  overdueMinutes: 'Overdue after (minutes)',
  staleDeviceHours: 'Stale device after (hours)',
  currency: 'Currency',
  taxRateBasisPoints: 'Tax rate',
};

/** The outcome of checking the form: the `org.update` args, or one plain sentence per field. */
export type SettingsUpdate =
  | { ok: true; patch: Partial<Settings>; base: Partial<Settings> }
  | { ok: false; problems: Record<string, string> };

function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/**
 * The `org.update` for a form started from `initial`: only the fields that
 * changed, with `base` = what the form started from. Weights are compared
 * as typed percentages, so an untouched 1/3 split is not sent back rounded.
 */
export function settingsUpdate(initial: Settings, draft: SettingsDraft): SettingsUpdate {
  const start = settingsDraftOf(initial);
  const problems: Record<string, string> = {};
  const values: Partial<Record<SettingsField, unknown>> = {
    name: draft.name.trim(),
    timeZone: draft.timeZone.trim(),
    timeFormat: draft.timeFormat,
    maxDistanceMiles: numberOf(draft.maxDistanceMiles),
    overdueMinutes: numberOf(draft.overdueMinutes),
    staleDeviceHours: numberOf(draft.staleDeviceHours),
    currency: draft.currency.trim().toUpperCase(),
  };
  const percents = draftPercents(draft);
  if (WEIGHT_KEYS.some((key) => draft.percents[key].trim() !== start.percents[key].trim())) {
    if (percentsAddUp(percents)) values.scoringWeights = percentsToWeights(percents);
    else problems.scoringWeights = weightsProblem(percents);
  }
  if (draft.taxRatePercent.trim() !== start.taxRatePercent) {
    const basisPoints = percentTextToBasisPoints(draft.taxRatePercent);
    if (basisPoints === null) problems.taxRateBasisPoints = 'Tax rate must be a percentage from 0 to 100, like 8.25.';
    else values.taxRateBasisPoints = basisPoints;
  }
  const patch: Record<string, unknown> = {};
  const base: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS.organizations) {
    if (!(field in values)) continue;
    const next = values[field];
    if (JSON.stringify(next) !== JSON.stringify(initial[field])) {
      patch[field] = next;
      base[field] = initial[field];
    }
  }
  if (Object.keys(patch).length > 0) {
    const schemaProblems = argsProblems('org.update', { patch, base }, SETTINGS_LABELS);
    if (schemaProblems) Object.assign(problems, { ...schemaProblems, ...problems });
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, patch: patch as Partial<Settings>, base: base as Partial<Settings> };
}

/** Plain words for percentages that cannot be saved. */
export function weightsProblem(percents: WeightPercents): string {
  if (WEIGHT_KEYS.some((key) => !Number.isFinite(percents[key]))) return 'Give each weight as a number from 0 to 100.';
  if (WEIGHT_KEYS.some((key) => percents[key] < 0 || percents[key] > 100)) {
    return 'Each weight must be from 0 to 100 %.';
  }
  const sum = Math.round(percentSum(percents) * 100) / 100;
  return `The weights add up to ${sum} %; they must add up to exactly 100 %.`;
}
