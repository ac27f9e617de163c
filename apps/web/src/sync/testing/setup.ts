import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createFieldsyncClient, type FieldsyncClientOptions } from '../client';
import type { LockManagerLike } from '../session';
import { FakeSyncServer, type FakeUser } from './fake-sync-server';

export const CONTRACTOR: FakeUser = {
  id: '00000000-0000-4000-8000-00000000c001',
  orgId: '00000000-0000-4000-8000-0000000000a1',
  email: 'carl@example.com',
  name: 'Carl',
  role: 'contractor',
};
export const DISPATCHER: FakeUser = {
  id: '00000000-0000-4000-8000-00000000d001',
  orgId: '00000000-0000-4000-8000-0000000000a1',
  email: 'dana@example.com',
  name: 'Dana',
  role: 'dispatcher',
};
export const JOB_ID = '00000000-0000-4000-8000-000000000b01';

let counter = 0;
/** A fresh fake IndexedDB and database name per call. */
export function freshIndexedDb() {
  counter++;
  return { indexedDB: new IDBFactory(), IDBKeyRange, dbName: `fieldsync-test-${counter}` };
}

export function makeClient(server: FakeSyncServer, overrides: Partial<FieldsyncClientOptions> = {}) {
  const idb = overrides.indexedDB ? {} : freshIndexedDb();
  return createFieldsyncClient({
    baseUrl: '',
    fetch: server.fetch,
    eventSource: null,
    locks: null,
    storage: null,
    now: () => Date.parse('2026-11-21T09:00:00Z'),
    random: () => 0.5,
    logger: { warn() {}, error() {} },
    ...idb,
    ...overrides,
  } as FieldsyncClientOptions);
}

export function newServer() {
  const server = new FakeSyncServer();
  server.addUser(CONTRACTOR);
  server.addUser(DISPATCHER);
  return server;
}

/** A Web Locks stand-in shared by "tabs" in one test. */
export function fakeLockManager(): LockManagerLike {
  const held = new Set<string>();
  const waiting = new Map<string, Array<() => void>>();
  return {
    async request(name, options, callback) {
      if (options.ifAvailable && held.has(name)) return callback(null);
      while (held.has(name)) {
        await new Promise<void>((resolve) => {
          const queue = waiting.get(name) ?? [];
          queue.push(resolve);
          waiting.set(name, queue);
        });
      }
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
        waiting.get(name)?.shift()?.();
      }
    },
  };
}
