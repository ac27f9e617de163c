import { userStatus } from '@fieldsync/domain';
import { afterEach, expect, test } from 'vitest';
import type { FieldsyncClient } from './client';
import { readMeta } from './database';
import { type FakeUser, serverId } from './testing/fake-sync-server';
import { DISPATCHER, makeClient, newServer } from './testing/setup';

// Optimistic appliers of company administration: `user.invite`, `user.update`, `user.setActive`, `org.update`.

const ORG_ID = DISPATCHER.orgId;
const ADMIN: FakeUser = {
  id: '00000000-0000-4000-8000-00000000a001',
  orgId: ORG_ID,
  email: 'ada@example.com',
  name: 'Ada',
  role: 'admin',
};
const OFFICE_ID = '00000000-0000-4000-8000-00000000d002';
const CONTRACTOR_USER_ID = '00000000-0000-4000-8000-00000000c002';
const NEW_USER_ID = '00000000-0000-4000-8000-00000000e001';
const NEW_CONTRACTOR_ID = '00000000-0000-4000-8000-00000000e002';
const NOW = '2026-11-21T09:00:00.000Z';

function userRow(id: string, fields: Record<string, unknown>) {
  return { id, active: true, invitedAt: null, lastSeenAt: NOW, ...fields };
}

function orgRow(fields: Record<string, unknown> = {}) {
  return {
    id: ORG_ID,
    name: 'Test Co',
    timeZone: 'America/Denver',
    timeFormat: '12h',
    scoringWeights: { availability: 0.4, rating: 0.35, distance: 0.25 },
    maxDistanceMiles: 50,
    overdueMinutes: 30,
    staleDeviceHours: 24,
    currency: 'USD',
    taxRateBasisPoints: 0,
    ...fields,
  };
}

const clients: FieldsyncClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

/** A signed-in office person whose device holds the company row and three people. */
async function signedIn(who: FakeUser = ADMIN) {
  const server = newServer();
  server.addUser(ADMIN);
  server.put('organizations', orgRow());
  server.put('users', userRow(ADMIN.id, { email: ADMIN.email, name: ADMIN.name, role: 'admin' }));
  server.put('users', userRow(DISPATCHER.id, { email: DISPATCHER.email, name: DISPATCHER.name, role: 'dispatcher' }));
  server.put('users', userRow(OFFICE_ID, { email: 'olga@example.com', name: 'Olga', role: 'dispatcher' }));
  server.put('users', userRow(CONTRACTOR_USER_ID, { email: 'cy@example.com', name: 'Cy', role: 'contractor' }));
  const client = makeClient(server);
  clients.push(client);
  await client.signIn(who.email, 'secret');
  await client.syncNow();
  return { server, client };
}

test('inviting a contractor adds the invited person and their linked contractor row on this device', async () => {
  const { client } = await signedIn(DISPATCHER);
  await client.mutate('user.invite', {
    id: NEW_USER_ID,
    email: 'pat@example.com',
    name: 'Pat Tiler',
    role: 'contractor',
    contractor: { id: NEW_CONTRACTOR_ID, trade: 'tile', skills: ['mosaic'], baseLat: 39.7, baseLng: -104.9 },
  });
  const user = await client.db.users.get(NEW_USER_ID);
  expect(user).toMatchObject({
    email: 'pat@example.com',
    name: 'Pat Tiler',
    role: 'contractor',
    active: true,
    invitedAt: NOW,
    lastSeenAt: null,
    _pendingSeq: 1,
  });
  expect(user && userStatus(user)).toBe('invited');
  expect(await client.db.contractors.get(NEW_CONTRACTOR_ID)).toMatchObject({
    userId: NEW_USER_ID,
    name: 'Pat Tiler',
    email: 'pat@example.com',
    trade: 'tile',
    skills: ['mosaic'],
    status: 'active',
    rating: 0,
    baseLat: 39.7,
    baseLng: -104.9,
    phone: null,
    _pendingSeq: 1,
  });
  // New rows: the server had neither, so a rejection removes both.
  expect((await client.db.shadows.get(['users', NEW_USER_ID]))?.base).toBeNull();
  expect((await client.db.shadows.get(['contractors', NEW_CONTRACTOR_ID]))?.base).toBeNull();
  expect((await client.db.outbox.toArray()).map((entry) => entry.name)).toEqual(['user.invite']);
});

test('a dispatcher may invite contractors only; an admin may invite office staff', async () => {
  const { client } = await signedIn(DISPATCHER);
  const office = { id: NEW_USER_ID, email: 'ola@example.com', name: 'Ola', role: 'dispatcher' } as const;
  await expect(client.mutate('user.invite', office)).rejects.toMatchObject({ code: 'forbidden' });
  expect(await client.db.users.get(NEW_USER_ID)).toBeUndefined();
  expect(await client.db.outbox.count()).toBe(0);

  const { client: admin } = await signedIn(ADMIN);
  await admin.mutate('user.invite', office);
  expect(await admin.db.users.get(NEW_USER_ID)).toMatchObject({ role: 'dispatcher', active: true });
  expect(await admin.db.contractors.count()).toBe(0);
});

test('an email already used in the company is refused on the device, whatever its case', async () => {
  const { client } = await signedIn();
  await expect(
    client.mutate('user.invite', { id: NEW_USER_ID, email: 'Olga@Example.com', name: 'Olga 2', role: 'admin' }),
  ).rejects.toMatchObject({ code: 'email_taken', message: 'Olga already uses Olga@Example.com.' });
  expect(await client.db.outbox.count()).toBe(0);
});

test('changing a role fills base from the local row and keeps the server copy aside', async () => {
  const { client } = await signedIn();
  await client.mutate('user.update', { id: OFFICE_ID, patch: { role: 'admin' } });
  expect(await client.db.users.get(OFFICE_ID)).toMatchObject({ role: 'admin', _pendingSeq: 1 });
  const [entry] = await client.db.outbox.toArray();
  expect(entry?.args).toEqual({ id: OFFICE_ID, patch: { role: 'admin' }, base: { role: 'dispatcher' } });
  expect((await client.db.shadows.get(['users', OFFICE_ID]))?.base).toMatchObject({ role: 'dispatcher' });
});

test('a contractor cannot be made office staff, and only an admin changes roles', async () => {
  const { client } = await signedIn();
  await expect(
    client.mutate('user.update', { id: CONTRACTOR_USER_ID, patch: { role: 'dispatcher' } }),
  ).rejects.toMatchObject({ code: 'validation_failed' });
  expect((await client.db.users.get(CONTRACTOR_USER_ID))?.role).toBe('contractor');
  await expect(client.mutate('user.update', { id: ADMIN.id, patch: { role: 'dispatcher' } })).rejects.toMatchObject({
    code: 'validation_failed',
    message: 'You cannot change your own role. Ask another admin to do it.',
  });
  // Renaming oneself is fine.
  await client.mutate('user.update', { id: ADMIN.id, patch: { name: 'Ada L.' } });
  expect((await client.db.users.get(ADMIN.id))?.name).toBe('Ada L.');

  const { client: dispatcher } = await signedIn(DISPATCHER);
  await expect(dispatcher.mutate('user.update', { id: OFFICE_ID, patch: { role: 'admin' } })).rejects.toMatchObject({
    code: 'forbidden',
  });
  expect(await dispatcher.db.outbox.count()).toBe(0);
});

test('deactivating and reactivating flips `active`; never on oneself, never by a dispatcher', async () => {
  const { client } = await signedIn();
  await client.mutate('user.setActive', { id: OFFICE_ID, active: false });
  const off = await client.db.users.get(OFFICE_ID);
  expect(off && userStatus(off)).toBe('deactivated');
  expect((await client.db.shadows.get(['users', OFFICE_ID]))?.base).toMatchObject({ active: true });
  await client.mutate('user.setActive', { id: OFFICE_ID, active: true });
  expect((await client.db.users.get(OFFICE_ID))?.active).toBe(true);

  await expect(client.mutate('user.setActive', { id: ADMIN.id, active: false })).rejects.toMatchObject({
    code: 'validation_failed',
  });
  expect((await client.db.users.get(ADMIN.id))?.active).toBe(true);

  const { client: dispatcher } = await signedIn(DISPATCHER);
  await expect(dispatcher.mutate('user.setActive', { id: CONTRACTOR_USER_ID, active: false })).rejects.toMatchObject({
    code: 'forbidden',
  });
  expect((await dispatcher.db.users.get(CONTRACTOR_USER_ID))?.active).toBe(true);
});

test('deactivating a contractor makes their contractor row inactive; reactivating makes it active again', async () => {
  const { server, client } = await signedIn();
  server.put('contractors', {
    id: NEW_CONTRACTOR_ID,
    userId: CONTRACTOR_USER_ID,
    name: 'Cy',
    trade: 'tile',
    skills: [],
    rating: 4,
    status: 'active',
    phone: null,
    email: 'cy@example.com',
    baseAddress: null,
    baseLat: null,
    baseLng: null,
  });
  await client.syncNow();
  await client.mutate('user.setActive', { id: CONTRACTOR_USER_ID, active: false });
  expect((await client.db.contractors.get(NEW_CONTRACTOR_ID))?.status).toBe('inactive');
  await client.mutate('user.setActive', { id: CONTRACTOR_USER_ID, active: true });
  expect((await client.db.contractors.get(NEW_CONTRACTOR_ID))?.status).toBe('active');
});

test('org.update changes the company row of this device with the base the form started from', async () => {
  const { client } = await signedIn();
  const patch = { name: 'Test Co West', scoringWeights: { availability: 0.5, rating: 0.3, distance: 0.2 } };
  const base = { name: 'Test Co', scoringWeights: { availability: 0.4, rating: 0.35, distance: 0.25 } };
  await client.mutate('org.update', { patch, base });
  expect(await client.db.organizations.get(ORG_ID)).toMatchObject({ ...patch, maxDistanceMiles: 50, _pendingSeq: 1 });
  expect((await client.db.outbox.toArray())[0]?.args).toEqual({ patch, base });
  expect((await client.db.shadows.get(['organizations', ORG_ID]))?.base).toMatchObject(base);

  const { client: dispatcher } = await signedIn(DISPATCHER);
  await expect(
    dispatcher.mutate('org.update', { patch: { name: 'Mine' }, base: { name: 'Test Co' } }),
  ).rejects.toMatchObject({ code: 'forbidden' });
  expect((await dispatcher.db.organizations.get(ORG_ID))?.name).toBe('Test Co');
});

test('org.update before the company row has arrived is refused in plain words', async () => {
  const { client } = await signedIn();
  await client.db.organizations.clear();
  await expect(
    client.mutate('org.update', { patch: { overdueMinutes: 45 }, base: { overdueMinutes: 30 } }),
  ).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/company settings/) });
  expect(await client.db.outbox.count()).toBe(0);
});

test('rebase: a pending settings change stays on top of another field the server changed', async () => {
  const { server, client } = await signedIn();
  await client.mutate('org.update', { patch: { overdueMinutes: 45 }, base: { overdueMinutes: 30 } });
  server.put('organizations', { id: ORG_ID, currency: 'EUR' });
  const { pullAll } = await import('./sync-engine');
  const session = await readMeta(client.db, 'session');
  if (!session) throw new Error('no session');
  await pullAll({
    db: client.db,
    user: session.user,
    now: () => Date.parse(NOW),
    newId: serverId,
    call: async (method, path) => {
      const response = await server.fetch(path, {
        method,
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
      return JSON.parse(await response.text());
    },
  });
  expect(await client.db.organizations.get(ORG_ID)).toMatchObject({
    currency: 'EUR',
    overdueMinutes: 45,
    _pendingSeq: 1,
  });
  expect((await client.db.shadows.get(['organizations', ORG_ID]))?.base).toMatchObject({
    currency: 'EUR',
    overdueMinutes: 30,
  });
});
