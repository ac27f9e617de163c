import { Dexie } from 'dexie';
import { expect, test, vi } from 'vitest';
import {
  CURRENT_SCHEMA_VERSION,
  openFieldsyncDatabase,
  SCHEMA_V1,
  SCHEMA_V2,
  SCHEMA_V3,
  SCHEMA_V4,
  SCHEMA_V6,
} from './database';
import { freshIndexedDb, makeClient, newServer } from './testing/setup';

test('upgrading v1 → v2 keeps pending outbox entries and the seq counter, and adds the new indexes', async () => {
  const { indexedDB, IDBKeyRange, dbName } = freshIndexedDb();
  const v1 = new Dexie(dbName, { indexedDB, IDBKeyRange });
  v1.version(1).stores(SCHEMA_V1);
  await v1.open();
  const entries = [1, 2, 3].map((seq) => ({
    seq,
    name: 'note.add',
    args: { id: `00000000-0000-4000-8000-00000000000${seq}`, jobId: '00000000-0000-4000-8000-000000000b01', body: 'x' },
    occurredAt: '2026-11-21T09:00:00.000Z',
    attempts: seq - 1,
    lastError: null,
  }));
  await v1.table('outbox').bulkAdd(entries);
  // An older build that lost track of the counter: the upgrade must put it above the queue.
  await v1.table('meta').bulkPut([
    { key: 'clientId', value: '0190a000-0000-7000-8000-000000000001' },
    { key: 'nextSeq', value: 2 },
  ]);
  await v1.table('jobs').put({ id: 'j1', status: 'open', desiredDate: '2026-11-21', _pendingSeq: 3 });
  v1.close();

  const v2 = openFieldsyncDatabase(dbName, { indexedDB, IDBKeyRange });
  await v2.open();
  expect(v2.verno).toBe(CURRENT_SCHEMA_VERSION);
  // Kept as they were, each now knowing its job (v7).
  expect(await v2.outbox.orderBy('seq').toArray()).toEqual(
    entries.map((entry) => ({ ...entry, jobId: '00000000-0000-4000-8000-000000000b01' })),
  );
  expect((await v2.meta.get('nextSeq'))?.value).toBe(4);
  expect((await v2.meta.get('clientId'))?.value).toBe('0190a000-0000-7000-8000-000000000001');
  expect(await v2.jobs.where('_pendingSeq').above(0).count()).toBe(1);
  expect(Object.keys(SCHEMA_V2)).toEqual(Object.keys(SCHEMA_V1));
  v2.close();
});

test('a newer schema opened in another tab closes this client and asks for a reload', async () => {
  const idb = freshIndexedDb();
  const client = makeClient(newServer(), idb);
  await client.db.open();
  const listener = vi.fn();
  client.subscribe(listener);
  const newer = new Dexie(idb.dbName, { indexedDB: idb.indexedDB, IDBKeyRange: idb.IDBKeyRange });
  newer.version(CURRENT_SCHEMA_VERSION + 1).stores({ ...SCHEMA_V4, jobs: `${SCHEMA_V4.jobs}, priority` });
  await newer.open(); // would block forever if the old connection stayed open
  expect(client.getState()).toMatchObject({ dbClosed: true });
  expect(client.getState().lastError).toMatch(/reload/i);
  expect(listener).toHaveBeenCalled();
  await client.syncNow(); // a no-op, never throws
  newer.close();
  client.close();
});

test('upgrading v3 → v4 adds the alert deliveries table, indexes notifications by job and pulls everything again', async () => {
  const { indexedDB, IDBKeyRange, dbName } = freshIndexedDb();
  const v3 = new Dexie(dbName, { indexedDB, IDBKeyRange });
  v3.version(3).stores(SCHEMA_V3);
  await v3.open();
  await v3.table('meta').bulkPut([
    { key: 'cursor', value: 'c-41' },
    { key: 'nextSeq', value: 7 },
  ]);
  await v3.table('notifications').put({ id: 'n1', userId: 'u1', title: 'Old' });
  v3.close();

  const v4 = openFieldsyncDatabase(dbName, { indexedDB, IDBKeyRange });
  await v4.open();
  expect(v4.verno).toBe(CURRENT_SCHEMA_VERSION);
  expect(await v4.meta.get('cursor')).toBeUndefined();
  expect((await v4.meta.get('nextSeq'))?.value).toBe(7);
  await v4.alertDeliveries.put({ id: 'd1', jobId: 'j1', ruleId: 'r1', status: 'failed' } as never);
  expect(await v4.alertDeliveries.where('jobId').equals('j1').count()).toBe(1);
  expect(await v4.notifications.where('jobId').equals('j1').count()).toBe(0);
  expect(Object.keys(SCHEMA_V4).filter((table) => !(table in SCHEMA_V3))).toEqual(['alertDeliveries']);
  v4.close();
});

test('upgrading v6 → v7 indexes queued changes by the job they are about, found through the material or assignment', async () => {
  const { indexedDB, IDBKeyRange, dbName } = freshIndexedDb();
  const v6 = new Dexie(dbName, { indexedDB, IDBKeyRange });
  v6.version(6).stores(SCHEMA_V6);
  await v6.open();
  await v6.table('materials').put({ id: 'm1', jobId: 'job-a', itemName: 'Grout' });
  await v6.table('assignments').put({ id: 'a1', jobId: 'job-b', contractorId: 'c1' });
  const queued = (seq: number, name: string, args: unknown) => ({
    seq,
    name,
    args,
    occurredAt: '2026-11-30T09:00:00.000Z',
    attempts: 0,
    lastError: null,
  });
  await v6
    .table('outbox')
    .bulkAdd([
      queued(1, 'material.setPurchased', { id: 'm1', purchased: true }),
      queued(2, 'assignment.setStatus', { id: 'a1', to: 'confirmed' }),
      queued(3, 'job.setStatus', { id: 'job-c', to: 'in_progress' }),
      queued(4, 'note.add', { id: 'n1', jobId: 'job-d', body: 'x' }),
      queued(5, 'customer.create', { id: 'cu1', name: 'Ada' }),
      queued(6, 'material.setPurchased', { id: 'gone', purchased: true }),
    ]);
  v6.close();

  const v7 = openFieldsyncDatabase(dbName, { indexedDB, IDBKeyRange });
  await v7.open();
  expect(v7.verno).toBe(CURRENT_SCHEMA_VERSION);
  const bySeq = (await v7.outbox.orderBy('seq').toArray()).map((entry) => [entry.seq, entry.jobId]);
  expect(bySeq).toEqual([
    [1, 'job-a'],
    [2, 'job-b'],
    [3, 'job-c'],
    [4, 'job-d'],
    [5, undefined],
    [6, undefined],
  ]);
  expect(await v7.outbox.orderBy('jobId').uniqueKeys()).toEqual(['job-a', 'job-b', 'job-c', 'job-d']);
  v7.close();
});
