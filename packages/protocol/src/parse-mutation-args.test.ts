import {
  contractorSchema,
  customerSchema,
  jobSchema,
  MAX_MATERIAL_QUANTITY,
  materialSchema,
  organizationSchema,
  TEXT_LIMITS,
  userSchema,
} from '@fieldsync/domain';
import { expect, test } from 'vitest';
import { EDITABLE_FIELDS, UPDATE_MUTATION_ENTITY } from './editable-fields';
import { MUTATION_NAMES, mutationArgsSchemas } from './mutations';
import { parseMutationArgs } from './parse-mutation-args';

const id = (n: number) => `0193a1b2-0000-7000-8000-${n.toString().padStart(12, '0')}`;

test('ok: a status change', () => {
  const result = parseMutationArgs('job.setStatus', { jobId: id(1), from: 'scheduled', to: 'in_progress' });
  expect(result).toEqual({
    ok: true,
    name: 'job.setStatus',
    args: { jobId: id(1), from: 'scheduled', to: 'in_progress' },
  });
  if (result.ok && result.name === 'job.setStatus') expect(result.args.to).toBe('in_progress');
});

test('unknown mutation', () => {
  expect(parseMutationArgs('job.delete', {})).toEqual({
    ok: false,
    code: 'unknown_mutation',
    message: 'Unknown mutation "job.delete"',
  });
  expect(parseMutationArgs('toString', {})).toMatchObject({ ok: false, code: 'unknown_mutation' });
});

test('invalid args: the message names every bad field', () => {
  const result = parseMutationArgs('job.setStatus', { jobId: 'x', from: 'scheduled', to: 'done', extra: 1 });
  expect(result).toMatchObject({ ok: false, code: 'invalid_args' });
  if (!result.ok) {
    expect(result.message).toMatch(/^Invalid args for job\.setStatus: /);
    expect(result.message).toContain('jobId');
    expect(result.message).toContain('to');
    expect(result.message).toContain('extra');
  }
  expect(parseMutationArgs('material.remove', undefined)).toMatchObject({ ok: false, code: 'invalid_args' });
});

test('job.create may leave out jobNumber and status', () => {
  const args = {
    id: id(1),
    title: 'Tile',
    customerId: id(2),
    trade: 'tile',
    desiredDate: '2026-11-24',
    durationMinutes: 120,
  };
  expect(parseMutationArgs('job.create', args).ok).toBe(true);
  expect(parseMutationArgs('job.create', { ...args, status: 'completed' }).ok).toBe(false);
  expect(parseMutationArgs('job.create', { ...args, durationMinutes: 600 }).ok).toBe(false);
});

test('updates: patch only editable fields, base for each patched field', () => {
  const ok = { id: id(1), patch: { title: 'New', durationMinutes: 90 }, base: { title: 'Old', durationMinutes: 60 } };
  expect(parseMutationArgs('job.update', ok).ok).toBe(true);
  expect(parseMutationArgs('job.update', { ...ok, patch: { status: 'completed' }, base: { status: 'open' } }).ok).toBe(
    false,
  );
  expect(parseMutationArgs('job.update', { ...ok, base: { title: 'Old' } }).ok).toBe(false);
  expect(parseMutationArgs('job.update', { ...ok, patch: {}, base: {} }).ok).toBe(false);
  expect(
    parseMutationArgs('job.update', { ...ok, patch: { durationMinutes: 10 }, base: { durationMinutes: 60 } }).ok,
  ).toBe(false);
  expect(parseMutationArgs('material.update', { id: id(1), patch: { quantity: 3 }, base: { quantity: 2 } }).ok).toBe(
    true,
  );
  expect(
    parseMutationArgs('material.update', { id: id(1), patch: { purchased: true }, base: { purchased: false } }).ok,
  ).toBe(false);
});

test('assignment.create: end after start, optional score', () => {
  const args = {
    id: id(1),
    jobId: id(2),
    contractorId: id(3),
    start: '2026-11-24T14:00:00Z',
    end: '2026-11-24T16:00:00Z',
  };
  expect(parseMutationArgs('assignment.create', args).ok).toBe(true);
  const score = {
    total: 0.82,
    breakdown: {
      availability: 1,
      rating: 0.9,
      distance: 0.5,
      weights: { availability: 0.4, rating: 0.35, distance: 0.25 },
    },
  };
  expect(parseMutationArgs('assignment.create', { ...args, score }).ok).toBe(true);
  expect(parseMutationArgs('assignment.create', { ...args, end: args.start }).ok).toBe(false);
});

test('workingHours.set: valid windows, each day once', () => {
  const day = { dayOfWeek: 1, start: '08:00', end: '16:00' };
  expect(parseMutationArgs('workingHours.set', { contractorId: id(1), days: [day, { ...day, dayOfWeek: 2 }] }).ok).toBe(
    true,
  );
  expect(parseMutationArgs('workingHours.set', { contractorId: id(1), days: [] }).ok).toBe(true);
  expect(parseMutationArgs('workingHours.set', { contractorId: id(1), days: [day, day] }).ok).toBe(false);
  expect(parseMutationArgs('workingHours.set', { contractorId: id(1), days: [{ ...day, end: '07:00' }] }).ok).toBe(
    false,
  );
  expect(
    parseMutationArgs('workingHours.set', { contractorId: id(1), days: [{ ...day, start: '05:00', end: '22:00' }] }).ok,
  ).toBe(false);
});

test('rating.add and conflict.resolve', () => {
  expect(parseMutationArgs('rating.add', { id: id(1), assignmentId: id(2), stars: 5 }).ok).toBe(true);
  expect(parseMutationArgs('rating.add', { id: id(1), assignmentId: id(2), stars: 6 }).ok).toBe(false);
  expect(parseMutationArgs('rating.add', { id: id(1), assignmentId: id(2), stars: 4.5 }).ok).toBe(false);
  expect(parseMutationArgs('conflict.resolve', { id: id(1), keep: 'loser' }).ok).toBe(true);
  expect(parseMutationArgs('conflict.resolve', { id: id(1), keep: 'both' }).ok).toBe(false);
});

test('the catalogue and the editable fields agree with the domain rows', () => {
  expect(Object.keys(mutationArgsSchemas).sort()).toEqual([...MUTATION_NAMES].sort());
  const shapes = {
    customers: customerSchema.shape,
    jobs: jobSchema.shape,
    contractors: contractorSchema.shape,
    materials: materialSchema.shape,
    users: userSchema.shape,
    organizations: organizationSchema.shape,
  };
  for (const [entity, fields] of Object.entries(EDITABLE_FIELDS)) {
    for (const field of fields) expect(Object.keys(shapes[entity as keyof typeof shapes])).toContain(field);
  }
  for (const name of Object.keys(UPDATE_MUTATION_ENTITY)) expect(MUTATION_NAMES).toContain(name);
});

test('text holding a NUL character, in a value or a key, is refused with the path to it', () => {
  const nul = parseMutationArgs('job.update', {
    id: id(1),
    patch: { title: 'Deck', description: 'a\u0000b' },
    base: { title: 'Old', description: null },
  });
  expect(nul).toEqual({
    ok: false,
    code: 'invalid_args',
    message: 'Invalid args for job.update: patch.description: text may not contain the NUL character',
  });
  const key = parseMutationArgs('note.add', { id: id(1), jobId: id(2), body: 'ok', ['x\u0000']: 1 });
  expect(key).toMatchObject({ ok: false, code: 'invalid_args', message: expect.stringContaining('x\u0000') });
});

test('dates and instants outside the years 1900 to 9999 are invalid args', () => {
  const slot = (start: string) => ({
    id: id(1),
    jobId: id(2),
    contractorId: id(3),
    start,
    end: '2031-01-06T10:00:00Z',
  });
  expect(parseMutationArgs('assignment.create', slot('2031-01-06T08:00:00Z')).ok).toBe(true);
  expect(parseMutationArgs('assignment.create', slot('0000-01-01T08:00:00Z'))).toMatchObject({
    ok: false,
    message: expect.stringContaining('start: Expected a year from 1900 to 9999'),
  });
});

test('text with a lone surrogate is refused wherever it is: a field, a base value, a key', () => {
  const body = parseMutationArgs('note.add', { id: id(1), jobId: id(2), body: 'x\ud83dy' });
  expect(body).toEqual({
    ok: false,
    code: 'invalid_args',
    message: 'Invalid args for note.add: body: text holds a broken character (a lone UTF-16 surrogate)',
  });
  // A whole emoji (a proper surrogate pair) is fine.
  expect(parseMutationArgs('note.add', { id: id(1), jobId: id(2), body: 'Done 👍' }).ok).toBe(true);
  const base = parseMutationArgs('customer.update', { id: id(1), patch: { name: 'Ada' }, base: { name: '\udc00' } });
  expect(base).toMatchObject({ ok: false, code: 'invalid_args', message: expect.stringContaining('base.name: ') });
  const key = parseMutationArgs('job.setStatus', { jobId: id(1), from: 'open', to: 'on_hold', '\ud800': 1 });
  expect(key).toMatchObject({ ok: false, code: 'invalid_args' });
});

test('every free-text field has a maximum length the database and its indexes can hold', () => {
  const long = (n: number) => 'x'.repeat(n);
  const cases: Array<[string, unknown, string]> = [
    ['customer.create', { id: id(1), name: long(TEXT_LIMITS.name + 1) }, 'name'],
    ['customer.create', { id: id(1), name: 'Ada', notes: long(TEXT_LIMITS.longText + 1) }, 'notes'],
    ['customer.create', { id: id(1), name: 'Ada', phone: long(TEXT_LIMITS.phone + 1) }, 'phone'],
    ['customer.create', { id: id(1), name: 'Ada', email: long(TEXT_LIMITS.email + 1) }, 'email'],
    ['customer.create', { id: id(1), name: 'Ada', address: long(TEXT_LIMITS.address + 1) }, 'address'],
    ['contractor.create', { id: id(1), name: long(10_000), trade: 'tile' }, 'name'],
    ['contractor.create', { id: id(1), name: 'Bo', trade: 'tile', skills: [long(TEXT_LIMITS.label + 1)] }, 'skills.0'],
    ['job.setStatus', { jobId: id(1), from: 'open', to: 'on_hold', reason: long(TEXT_LIMITS.reason + 1) }, 'reason'],
    ['assignment.setStatus', { id: id(1), from: 'pending', to: 'declined', reason: long(2_001) }, 'reason'],
    ['material.add', { id: id(1), jobId: id(2), itemName: 'Grout', quantity: 1, unit: long(101) }, 'unit'],
    ['note.add', { id: id(1), jobId: id(2), body: long(TEXT_LIMITS.longText + 1) }, 'body'],
    ['rating.add', { id: id(1), assignmentId: id(2), stars: 4, comment: long(2_001) }, 'comment'],
    [
      'job.update',
      { id: id(1), patch: { description: long(10_001) }, base: { description: null } },
      'patch.description',
    ],
  ];
  for (const [name, args, path] of cases) {
    const result = parseMutationArgs(name, args);
    expect(result, `${name} ${path}`).toMatchObject({ ok: false, code: 'invalid_args' });
    if (!result.ok)
      expect(result.message).toMatch(new RegExp(`^Invalid args for ${name.replace('.', '\\.')}: ${path}: `));
  }
  expect(parseMutationArgs('customer.create', { id: id(1), name: long(TEXT_LIMITS.name) }).ok).toBe(true);
});

test('numbers stay within what their columns hold', () => {
  const material = (quantity: number) => ({ id: id(1), jobId: id(2), itemName: 'Grout', quantity, unit: 'bag' });
  expect(parseMutationArgs('material.add', material(2.5)).ok).toBe(true);
  expect(parseMutationArgs('material.add', material(MAX_MATERIAL_QUANTITY)).ok).toBe(true);
  // numeric(12, 3): 99,999,999,999 overflows the column, 0.0001 would be stored as 0.
  for (const quantity of [99_999_999_999, MAX_MATERIAL_QUANTITY + 1, 0.0001, 0, -1]) {
    expect(parseMutationArgs('material.add', material(quantity)), String(quantity)).toMatchObject({
      ok: false,
      code: 'invalid_args',
      message: expect.stringContaining('quantity: '),
    });
  }
  const score = (weight: number) => ({
    id: id(1),
    jobId: id(2),
    contractorId: id(3),
    start: '2031-01-06T08:00:00Z',
    end: '2031-01-06T10:00:00Z',
    score: {
      total: 0.5,
      breakdown: {
        availability: 1,
        rating: 0.5,
        distance: 0,
        weights: { availability: weight, rating: 0, distance: 0 },
      },
    },
  });
  expect(parseMutationArgs('assignment.create', score(1)).ok).toBe(true);
  expect(parseMutationArgs('assignment.create', score(1e308)).ok).toBe(false);
});

test('an unknown name is quoted short and readable in its message', () => {
  const result = parseMutationArgs(`job.\ud83d${'x'.repeat(500)}`, {});
  expect(result).toMatchObject({ ok: false, code: 'unknown_mutation' });
  if (!result.ok) {
    expect(result.message.length).toBeLessThan(130);
    expect(result.message).toContain('job.\ufffd');
    expect(result.message).not.toMatch(/\p{Cs}/u);
  }
});

test('user.invite: an email, a name and a role; contractor details only for a contractor', () => {
  const invite = { id: id(1), email: ' casey@example.com ', name: 'Casey Jones', role: 'contractor' };
  expect(parseMutationArgs('user.invite', invite)).toMatchObject({ ok: true, args: { email: 'casey@example.com' } });
  const details = { id: id(2), trade: 'tile', skills: ['grout'], phone: '555-0100', baseLat: 39.7, baseLng: -105 };
  expect(parseMutationArgs('user.invite', { ...invite, contractor: details }).ok).toBe(true);
  expect(parseMutationArgs('user.invite', { ...invite, role: 'admin' }).ok).toBe(true);
  const refused: Array<[unknown, string]> = [
    [{ ...invite, role: 'dispatcher', contractor: details }, 'contractor: only a contractor has contractor details'],
    [{ ...invite, contractor: { ...details, baseLng: undefined } }, 'contractor.baseLng: give latitude and longitude'],
    [{ ...invite, email: 'casey.example.com' }, 'email: must be an email address'],
    [{ ...invite, role: 'owner' }, 'role: '],
    [{ ...invite, name: '' }, 'name: '],
    [{ ...invite, password: 'secret' }, 'password'],
    [{ ...invite, contractor: { ...details, rating: 5 } }, 'contractor: '],
  ];
  for (const [args, message] of refused) {
    const result = parseMutationArgs('user.invite', args);
    expect(result, message).toMatchObject({ ok: false, code: 'invalid_args' });
    if (!result.ok) expect(result.message, message).toContain(message);
  }
});

test('user.update: only name and role, each with its base; user.setActive: a boolean', () => {
  const ok = { id: id(1), patch: { name: 'Pat', role: 'dispatcher' }, base: { name: 'Pat Q.', role: 'admin' } };
  expect(parseMutationArgs('user.update', ok).ok).toBe(true);
  expect(parseMutationArgs('user.update', { ...ok, base: { name: 'Pat Q.' } }).ok).toBe(false);
  for (const patch of [{ email: 'x@example.com' }, { active: false }, { role: 'owner' }, {}]) {
    const base = Object.fromEntries(Object.keys(patch).map((key) => [key, null]));
    expect(parseMutationArgs('user.update', { id: id(1), patch, base }), JSON.stringify(patch)).toMatchObject({
      ok: false,
      code: 'invalid_args',
    });
  }
  expect(parseMutationArgs('user.setActive', { id: id(1), active: false }).ok).toBe(true);
  expect(parseMutationArgs('user.setActive', { id: id(1), active: 'no' }).ok).toBe(false);
  expect(parseMutationArgs('user.setActive', { id: id(1) }).ok).toBe(false);
});

test('org.update: the company’s settings, no id; weights must add up to 1', () => {
  const weights = { availability: 0.4, rating: 0.35, distance: 0.25 };
  const ok = {
    patch: { name: 'Acme', timeZone: 'Europe/Berlin', timeFormat: '24h', scoringWeights: weights, currency: 'EUR' },
    base: { name: 'Old', timeZone: 'UTC', timeFormat: '12h', scoringWeights: weights, currency: 'USD' },
  };
  expect(parseMutationArgs('org.update', ok).ok).toBe(true);
  const patchOf = (patch: Record<string, unknown>) => ({
    patch,
    base: Object.fromEntries(Object.keys(patch).map((key) => [key, null])),
  });
  const refused: Array<[unknown, string]> = [
    [patchOf({ scoringWeights: { availability: 0.5, rating: 0.5, distance: 0.5 } }), 'must add up to 1'],
    [patchOf({ scoringWeights: { availability: 1.2, rating: -0.2, distance: 0 } }), 'patch.scoringWeights'],
    [patchOf({ timeZone: 'Mars/Olympus' }), 'patch.timeZone'],
    [patchOf({ timeFormat: '13h' }), 'patch.timeFormat'],
    [patchOf({ currency: 'usd' }), 'three-letter currency code'],
    [patchOf({ taxRateBasisPoints: 10_001 }), 'patch.taxRateBasisPoints'],
    [patchOf({ maxDistanceMiles: 0 }), 'patch.maxDistanceMiles'],
    [patchOf({ overdueMinutes: 1.5 }), 'patch.overdueMinutes'],
    [{ id: id(1), ...patchOf({ name: 'Acme' }) }, 'id'],
    [{ patch: { name: 'Acme' }, base: {} }, 'base.name'],
    [patchOf({}), 'patch changes no field'],
  ];
  for (const [args, message] of refused) {
    const result = parseMutationArgs('org.update', args);
    expect(result, message).toMatchObject({ ok: false, code: 'invalid_args' });
    if (!result.ok) expect(result.message, message).toContain(message);
  }
  // 0.1 + 0.2 + 0.7 is not exactly 1 in floating point, and still adds up.
  expect(
    parseMutationArgs('org.update', patchOf({ scoringWeights: { availability: 0.1, rating: 0.2, distance: 0.7 } })).ok,
  ).toBe(true);
});
