/**
 * A wire change is a decision: every message schema is fingerprinted here,
 * so a changed shape fails this test until someone decides what it means for
 * installed apps (see "Versions" in this package's README).
 */
import { createHash } from 'node:crypto';
import { rowSchemas, SYNCED_TABLES } from '@fieldsync/domain';
import { expect, test } from 'vitest';
import { z } from 'zod';
import {
  acceptInviteRequestSchema,
  changePasswordRequestSchema,
  inviteLinkResponseSchema,
  loginRequestSchema,
  loginResponseSchema,
  refreshRequestSchema,
  refreshResponseSchema,
  signupRequestSchema,
} from './auth';
import { errorBodySchema, errorCodeSchema } from './error-codes';
import { eventsTokenResponseSchema } from './events';
import { MUTATION_NAMES, mutationArgsSchemas } from './mutations';
import { MIN_SUPPORTED_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION, protocolSupport } from './protocol-version';
import { DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, pullEnvelopeSchema, pullQuerySchema, pullResponseSchema } from './pull';
import { MAX_PUSH_BYTES, MAX_PUSH_MUTATIONS, pushRequestSchema, pushResponseSchema } from './push';

/**
 * The fingerprint of every wire message at the versions below. Update it only
 * together with a decision about `PROTOCOL_VERSION` /
 * `MIN_SUPPORTED_PROTOCOL_VERSION` and a `History:` line.
 */
const PROTOCOL_FINGERPRINT = {
  version: 6,
  minSupportedVersion: 6,
  messages: {
    constants: '621cde706a1d7393',
    'auth.loginRequest': '5827b6bf0aa0c5a4',
    'auth.loginResponse': '0a97c7a3b0652351',
    'auth.refreshRequest': 'f4016829b6558a61',
    'auth.refreshResponse': '0a97c7a3b0652351',
    'auth.signupRequest': '7fda765194932156',
    'auth.acceptInviteRequest': 'de59c634d00f8de7',
    'auth.inviteLinkResponse': '9ef559bb7d663305',
    'auth.changePasswordRequest': '86b19e7fa4c7d5f9',
    'error.body': '7f93d36ff67ce903',
    'error.codes': 'd08f5f0aa9f0c13a',
    'events.tokenResponse': 'b64fe446b9b3b5dd',
    'pull.query': 'a42e23cb5a07c572',
    'pull.response': '04cbaf83492045e2',
    'pull.envelope': '8fefdbc9e077c576',
    'push.request': '73a02d1cd7d4766d',
    'push.response': '8660d1fb681919fa',
    'mutation.customer.create': '57151706c3d2e33b',
    'mutation.customer.update': '33e114f44f58e956',
    'mutation.job.create': '44ae9c7afced9b4c',
    'mutation.job.update': 'a3e53b7492c46ce5',
    'mutation.job.setStatus': 'a52922a239b562d2',
    'mutation.material.add': '3c27193a5abb1626',
    'mutation.material.update': '643750b01f98557a',
    'mutation.material.setPurchased': '48aa0bdcca5d659b',
    'mutation.material.remove': 'f7c8df7bb535c33a',
    'mutation.note.add': '7a30e6a6d33506d1',
    'mutation.attachment.add': '6a8294e7fa2f5785',
    'mutation.attachment.remove': 'f7c8df7bb535c33a',
    'mutation.assignment.create': '30813fa2dff31d83',
    'mutation.assignment.setStatus': 'b99dd7f73492e34d',
    'mutation.assignment.reschedule': '4984711162ec8258',
    'mutation.contractor.create': '9c0be282e8a6fc15',
    'mutation.contractor.update': '729ea0e5e71fcf91',
    'mutation.workingHours.set': '0aaa73d21d98b4f3',
    'mutation.conflict.resolve': 'fe0ddf00b8ecc5b6',
    'mutation.rating.add': '29816cbf972a5e02',
    'mutation.user.invite': '8beede4c39065d4c',
    'mutation.user.update': '5fc9a9d5166f85e6',
    'mutation.user.setActive': 'b139d1e6f99aadf2',
    'mutation.org.update': '45626d4a03d2ec81',
    'mutation.alertRule.create': '121620f12e8e0949',
    'mutation.alertRule.update': 'b5ff5f249f02bd3b',
    'mutation.alertRule.remove': 'f7c8df7bb535c33a',
    'mutation.alertDelivery.retry': 'f7c8df7bb535c33a',
    'mutation.notification.markRead': 'f7c8df7bb535c33a',
    'mutation.estimate.create': 'd9d2592eb9c0436f',
    'mutation.estimate.update': 'e67f777a19006387',
    'mutation.estimate.setStatus': '4d4e0dc26f9f1e26',
    'mutation.priceListItem.create': '901e009103a45d5c',
    'mutation.priceListItem.update': '251eefd91bac5945',
    'row.organizations': 'fff1e23d99c6b72e',
    'row.users': '6569e7d36882ed36',
    'row.contractors': '8d4e728a463be546',
    'row.workingHours': '345e92302f7a42bd',
    'row.customers': 'ce820442557172f3',
    'row.jobs': '42b9b01634a048af',
    'row.assignments': 'ba859dfbea9bcf19',
    'row.materials': '7ff5dc7af5088237',
    'row.jobNotes': 'abeafbb9ffc873a8',
    'row.jobStatusHistory': '066802949e9b132b',
    'row.attachments': '4a65d96bcff66550',
    'row.activityLog': 'b66270c37874ae55',
    'row.conflicts': '6dc3800d8c9a9aaa',
    'row.ratings': '6744128ac4934793',
    'row.notifications': '5e15d75e8967aefe',
    'row.alertRules': '7b0c4a5a2039a945',
    'row.alertDeliveries': 'a8fcf9e79c148716',
    'row.priceListItems': 'a4597ef7c98f4922',
    'row.estimates': '654ffcb71cb46c37',
  },
};

/** Everything that crosses the wire, by a name that says where. */
function wireMessages(): Record<string, z.ZodType> {
  const messages: Record<string, z.ZodType> = {
    'auth.loginRequest': loginRequestSchema,
    'auth.loginResponse': loginResponseSchema,
    'auth.refreshRequest': refreshRequestSchema,
    'auth.refreshResponse': refreshResponseSchema,
    'auth.signupRequest': signupRequestSchema,
    'auth.acceptInviteRequest': acceptInviteRequestSchema,
    'auth.inviteLinkResponse': inviteLinkResponseSchema,
    'auth.changePasswordRequest': changePasswordRequestSchema,
    'error.body': errorBodySchema,
    'error.codes': errorCodeSchema,
    'events.tokenResponse': eventsTokenResponseSchema,
    'pull.query': pullQuerySchema,
    'pull.response': pullResponseSchema,
    'pull.envelope': pullEnvelopeSchema,
    'push.request': pushRequestSchema,
    'push.response': pushResponseSchema,
  };
  for (const name of MUTATION_NAMES) messages[`mutation.${name}`] = mutationArgsSchemas[name];
  for (const table of SYNCED_TABLES) messages[`row.${table}`] = rowSchemas[table];
  return messages;
}

/** Limits and names that are part of the contract without being a schema. */
const WIRE_CONSTANTS = { PROTOCOL_HEADER, MAX_PUSH_BYTES, MAX_PUSH_MUTATIONS, DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT };

/** Keys whose arrays are sets: their order is no change on the wire. */
const UNORDERED_KEYS = new Set(['required', 'enum']);

/**
 * JSON with object keys sorted and set-like arrays sorted, so the text only
 * changes when the shape does. Descriptions are dropped: rewording a comment
 * is not a wire change.
 */
function stableJson(value: unknown, key?: string): string {
  if (Array.isArray(value)) {
    const items = value.map((item) => stableJson(item));
    if (key !== undefined && UNORDERED_KEYS.has(key)) items.sort();
    return `[${items.join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([name]) => name !== 'description')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, item]) => `${JSON.stringify(name)}:${stableJson(item, name)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Both sides of a schema: what a sender may put in (`input`) and what a
 * reader gets out (`output`). Checks written as code (refine, transforms)
 * cannot be represented and are not part of the fingerprint.
 */
function fingerprint(schema: z.ZodType): string {
  const both = {
    input: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    output: z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }),
  };
  return createHash('sha256').update(stableJson(both)).digest('hex').slice(0, 16);
}

function currentFingerprint() {
  const messages: Record<string, string> = {
    constants: createHash('sha256').update(stableJson(WIRE_CONSTANTS)).digest('hex').slice(0, 16),
  };
  for (const [name, schema] of Object.entries(wireMessages())) messages[name] = fingerprint(schema);
  return { version: PROTOCOL_VERSION, minSupportedVersion: MIN_SUPPORTED_PROTOCOL_VERSION, messages };
}

/** Which messages differ between two fingerprints, in words. */
function describeDifference(expected: Record<string, string>, actual: Record<string, string>): string[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return names.flatMap((name) => {
    if (!(name in expected)) return [`added: ${name}`];
    if (!(name in actual)) return [`removed: ${name}`];
    return expected[name] === actual[name] ? [] : [`changed: ${name}`];
  });
}

test('the wire contract matches its fingerprint at this protocol version', () => {
  const actual = currentFingerprint();
  const expected = PROTOCOL_FINGERPRINT;
  const differences = describeDifference(expected.messages, actual.messages);
  const versionMoved =
    actual.version !== expected.version || actual.minSupportedVersion !== expected.minSupportedVersion;
  if (differences.length === 0 && !versionMoved) return;

  const decision = versionMoved
    ? 'The protocol version moved: record the fingerprint it was decided for.'
    : [
        'The wire changed. Decide whether installed apps can still talk to this server:',
        '- compatible (a new optional field, a new mutation or table): bump PROTOCOL_VERSION;',
        '- not compatible: bump PROTOCOL_VERSION and raise MIN_SUPPORTED_PROTOCOL_VERSION to it.',
        'Either way add a `// History:` line in src/protocol-version.ts, update docs/sync-protocol.md,',
        'and replace PROTOCOL_FINGERPRINT in src/protocol-version.test.ts with the one below.',
      ].join('\n');
  expect.fail(
    [decision, '', ...differences, '', `const PROTOCOL_FINGERPRINT = ${JSON.stringify(actual, null, 2)};`].join('\n'),
  );
});

test('the fingerprint sees a changed field, a new optional field and a changed enum', () => {
  const base = z.object({ id: z.string(), status: z.enum(['a', 'b']) });
  const same = z.object({ status: z.enum(['b', 'a']), id: z.string().describe('reworded') });
  expect(fingerprint(same)).toBe(fingerprint(base));
  expect(fingerprint(base.extend({ id: z.number() }))).not.toBe(fingerprint(base));
  expect(fingerprint(base.extend({ note: z.string().optional() }))).not.toBe(fingerprint(base));
  expect(fingerprint(base.extend({ status: z.enum(['a', 'b', 'c']) }))).not.toBe(fingerprint(base));
  expect(fingerprint(z.strictObject(base.shape))).not.toBe(fingerprint(base));
});

test('the minimum supported version is at most the current one', () => {
  expect(MIN_SUPPORTED_PROTOCOL_VERSION).toBeGreaterThanOrEqual(1);
  expect(MIN_SUPPORTED_PROTOCOL_VERSION).toBeLessThanOrEqual(PROTOCOL_VERSION);
});

test('versions from the minimum to the current one are served; others are refused with a reason', () => {
  const range = { min: 3, current: 5 };
  expect(['3', '4', '5', ' 4 '].map((header) => protocolSupport(header, range))).toEqual([
    'supported',
    'supported',
    'supported',
    'supported',
  ]);
  expect(protocolSupport('2', range)).toBe('too_old');
  expect(protocolSupport('0', range)).toBe('too_old');
  expect(protocolSupport('6', range)).toBe('too_new');
  for (const header of ['', 'abc', '4.0', '-4', '0x4', '1e1', '99999999999999999999']) {
    expect(protocolSupport(header, range), JSON.stringify(header)).toBe('unreadable');
  }
  expect(protocolSupport(String(PROTOCOL_VERSION))).toBe('supported');
  expect(protocolSupport(String(MIN_SUPPORTED_PROTOCOL_VERSION))).toBe('supported');
});
