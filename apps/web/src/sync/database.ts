import { SYNCED_TABLES, type SyncedRow, type SyncedTable } from '@fieldsync/domain';
import type { SessionUser as ProtocolSessionUser } from '@fieldsync/protocol';
import { Dexie, type DexieOptions, type EntityTable, type Table } from 'dexie';

/**
 * Marks on a row changed or created on this device and not yet confirmed by
 * a pull. `_pendingSeq` is the outbox seq of the latest change to it.
 */
export interface LocalMarks {
  _pendingSeq?: number;
}

/** A row as stored locally: the wire row plus local marks. */
export type LocalRow<T extends SyncedTable> = SyncedRow<T> & LocalMarks;

/** One change waiting to be sent. Kept until the server reports `lastSeq ≥ seq`. */
export interface OutboxEntry {
  /** 1, 2, 3 … per client id, without gaps. */
  seq: number;
  name: string;
  args: unknown;
  /** Skew-corrected device time of the change (ISO). */
  occurredAt: string;
  attempts: number;
  lastError: string | null;
  /**
   * How many pushes of this entry alone the server answered with a 5xx (not
   * a 503 outage). Counted apart from `attempts`, which network failures
   * raise too: only a server that keeps failing on this one entry sets it aside.
   */
  serverFailures?: number;
  /**
   * Ids of rows the optimistic apply made up (e.g. a status-history row), so
   * a rebase re-creates them under the same id and screens do not flicker.
   */
  localIds?: string[];
  /**
   * The job the change is about (itself, or the job of the material, note or
   * assignment it changes), when there is one: indexed, so a screen can ask
   * which jobs have changes waiting without reading every queued change.
   */
  jobId?: string;
}

/** A change the server did not apply as sent (rejected, or lost a conflict). */
export interface RejectedChange {
  /** Local key (auto-increment): a seq alone is not unique once the client id changes. */
  id?: number;
  seq: number;
  name: string;
  args: unknown;
  /** An error code, or `conflict`. */
  code: string;
  /** Plain words for a person. */
  message: string;
  /** When the engine learned of it (ISO). */
  at: string;
  conflictId?: string;
  /** Client id the seq belongs to (a client id changes when another person signs in). */
  clientId?: string;
  /** When a person queued it again (ISO) and under which seq: it stays listed until they delete it. */
  resentAt?: string;
  resentSeq?: number;
}

/** The server's copy of a row this device changed: `base` null when the server had no such row. */
export interface Shadow {
  table: SyncedTable;
  id: string;
  base: Record<string, unknown> | null;
}

/**
 * The signed-in person, as the server describes them at sign-in (the
 * protocol's `SessionUser`). Sessions stored by older builds may lack the
 * organisation's fields, so only who the person is is certain.
 */
export type SessionUser = Pick<ProtocolSessionUser, 'id' | 'email' | 'name' | 'role'> & Partial<ProtocolSessionUser>;

export interface StoredSession {
  user: SessionUser;
  accessToken: string;
  refreshToken: string;
  /** Set when the refresh token was refused: the person must sign in again. */
  needsSignIn?: boolean;
  /** Set when the server said the account is switched off: syncing stops, the outbox is kept. */
  accountDisabled?: boolean;
}

/**
 * A job taken off this phone because the office cancelled the contractor's
 * assignment (`schedule-notices.ts`). Kept until the person dismisses it.
 */
export interface ScheduleNotice {
  /** The ended assignment's id: one notice per assignment. */
  id: string;
  jobId: string;
  /** The job's title as this phone last held it. */
  jobTitle: string;
  /** The office's reason (`cancellationReason`), or null when it gave none. */
  reason: string | null;
  /** When the job was booked to start (ISO), or null when unknown. */
  scheduledStart: string | null;
  /** When this device learned of it (ISO). */
  at: string;
}

/** Values kept in the `meta` table, by key. */
export interface MetaValues {
  clientId: string;
  nextSeq: number;
  cursor: string;
  clockOffsetMs: number;
  lastSyncedAt: string;
  session: StoredSession;
  /** The user the local data belongs to (survives a dead session). */
  ownerUserId: string;
  /** Jobs the office took off this contractor's schedule, oldest first, until dismissed. */
  scheduleNotices: ScheduleNotice[];
  /**
   * Follow-up jobs this phone created. Nobody is booked on them, so once sent
   * they leave the phone's data; the parent job still lists them from here.
   */
  followUpsCreated: CreatedFollowUp[];
}

/** A follow-up job created on this phone, remembered after it is sent. */
export interface CreatedFollowUp {
  id: string;
  parentJobId: string;
  title: string;
  /** When it was created on the phone (ISO). */
  createdAt: string;
}
export type MetaKey = keyof MetaValues;
export interface MetaEntry {
  key: MetaKey;
  value: unknown;
}

type SyncedTables = { [T in SyncedTable]: EntityTable<LocalRow<T>, 'id'> };

/**
 * Schema history. Never edit a version once shipped; add a new one.
 * 1 — one table per wire table, outbox, meta, rejected, shadows.
 * 2 — `_pendingSeq` indexes (list unsent rows) and `rejected.at`.
 * 3 — `organizations` (protocol 2); `users` rows changed shape, so the next pull starts over.
 * 4 — `alertDeliveries` (alerts); `notifications` gained `jobId` and `alertRules` changed shape, so
 *     the next pull starts over.
 */
export const SCHEMA_V1: Record<string, string> = {
  users: 'id, role',
  contractors: 'id, userId',
  workingHours: 'id, contractorId',
  customers: 'id, name',
  jobs: 'id, status, desiredDate, customerId, [status+desiredDate], updatedAt',
  assignments: 'id, jobId, contractorId, scheduledStart, status',
  materials: 'id, jobId',
  jobNotes: 'id, jobId',
  jobStatusHistory: 'id, jobId',
  activityLog: 'id, jobId',
  conflicts: 'id, status',
  ratings: 'id, assignmentId',
  notifications: 'id, userId',
  alertRules: 'id',
  outbox: 'seq',
  meta: 'key',
  rejected: '++id, seq',
  shadows: '[table+id]',
};

export const SCHEMA_V2: Record<string, string> = {
  ...SCHEMA_V1,
  jobs: 'id, status, desiredDate, customerId, [status+desiredDate], updatedAt, _pendingSeq',
  materials: 'id, jobId, _pendingSeq',
  jobNotes: 'id, jobId, _pendingSeq',
  rejected: '++id, seq, at',
};

export const SCHEMA_V3: Record<string, string> = {
  ...SCHEMA_V2,
  organizations: 'id',
  users: 'id, role, _pendingSeq',
};

export const SCHEMA_V4: Record<string, string> = {
  ...SCHEMA_V3,
  notifications: 'id, userId, jobId',
  alertDeliveries: 'id, jobId, ruleId, status',
};

/**
 * 5 — proof of work: `attachments` rows, and `attachmentFiles`, the device's
 * own copy of each file's bytes (never synced as rows) with its upload state.
 * Pulls from protocol 5 carry `parentJobId` on jobs: pull everything again.
 */
export const SCHEMA_V5: Record<string, string> = {
  ...SCHEMA_V4,
  attachments: 'id, jobId, _pendingSeq',
  attachmentFiles: 'id, jobId, uploadState, storedAt',
};

/**
 * 6 — estimates and job costing: `estimates` and `priceListItems` rows. Pulls
 * from protocol 6 carry the jobs' cost fields: pull everything again.
 */
export const SCHEMA_V6: Record<string, string> = {
  ...SCHEMA_V5,
  estimates: 'id, customerId, jobId, status, _pendingSeq',
  priceListItems: 'id',
  // An estimate's history is its activity entries: found by the estimate's id.
  activityLog: 'id, jobId, entityId',
};

/**
 * 7 — the outbox indexed by the job each change is about (`OutboxEntry.jobId`):
 * after a week offline a contractor's agenda asks which jobs have changes
 * waiting on every write, and reading thousands of queued changes each time
 * made every tap slower than the last.
 */
export const SCHEMA_V7: Record<string, string> = {
  ...SCHEMA_V6,
  outbox: 'seq, jobId',
};

export const CURRENT_SCHEMA_VERSION = 7;

/** The local database: one table per wire table plus the sync engine's own tables. */
export type FieldsyncDatabase = Dexie &
  SyncedTables & {
    outbox: EntityTable<OutboxEntry, 'seq'>;
    meta: EntityTable<MetaEntry, 'key'>;
    rejected: EntityTable<RejectedChange, 'id'>;
    shadows: Table<Shadow, [SyncedTable, string]>;
    attachmentFiles: EntityTable<AttachmentFile, 'id'>;
  };

/**
 * The bytes of an attachment as this device holds them: the full file until
 * it is uploaded and old enough to let go (`blob` null then), and a small
 * preview kept for good. `uploadState` drives the upload queue.
 */
export interface AttachmentFile {
  /** The attachment's id. */
  id: string;
  jobId: string;
  /** The file itself; null once uploaded and dropped to save space (download it again when online). */
  blob: Blob | null;
  /** A small JPEG preview made on the device; kept when the full file is dropped. */
  preview: Blob | null;
  byteSize: number;
  /**
   * `waiting`: bytes not yet sent (or the change not yet applied); `uploading`;
   * `uploaded`: the server has every byte; `failed`: refused for good (see `error`).
   */
  uploadState: 'waiting' | 'uploading' | 'uploaded' | 'failed';
  /** Bytes the server has acknowledged so far. */
  uploadedBytes: number;
  /** The tus upload URL, so an upload resumes after a reload rather than starting over. */
  uploadUrl: string | null;
  /** Why the upload was refused for good, in plain words. */
  error: string | null;
  /** When the device stored the file (ISO); old uploaded files are dropped first. */
  storedAt: string;
}

/** Which `indexedDB`/`IDBKeyRange` to use (fake-indexeddb in Node tests). */
export type IndexedDbDeps = Pick<DexieOptions, 'indexedDB' | 'IDBKeyRange'>;

/** Opens (lazily) the local database with every schema version declared. */
export function openFieldsyncDatabase(name: string, deps: IndexedDbDeps = {}): FieldsyncDatabase {
  const db = new Dexie(name, { ...deps }) as FieldsyncDatabase;
  db.version(1).stores(SCHEMA_V1);
  db.version(2)
    .stores(SCHEMA_V2)
    .upgrade(async (tx) => {
      // Guard the seq counter: it must stay above every queued entry whatever an older build did.
      const last = await tx.table<OutboxEntry, number>('outbox').orderBy('seq').last();
      const meta = tx.table<MetaEntry, string>('meta');
      const next = (await meta.get('nextSeq'))?.value;
      const floor = (last?.seq ?? 0) + 1;
      if (typeof next !== 'number' || next < floor) await meta.put({ key: 'nextSeq', value: floor });
    });
  db.version(3)
    .stores(SCHEMA_V3)
    .upgrade(async (tx) => {
      // Rows kept from protocol 1 lack fields protocol 2 sends (users' `active`): pull everything again.
      await tx.table<MetaEntry, string>('meta').delete('cursor');
    });
  db.version(4)
    .stores(SCHEMA_V4)
    .upgrade(async (tx) => {
      // Rows kept from before alerts lack fields they now carry (a notification's `jobId`): pull everything again.
      await tx.table<MetaEntry, string>('meta').delete('cursor');
    });
  db.version(5)
    .stores(SCHEMA_V5)
    .upgrade(async (tx) => {
      // Rows kept from protocol 4 lack `parentJobId` on jobs: pull everything again.
      await tx.table<MetaEntry, string>('meta').delete('cursor');
    });
  db.version(6)
    .stores(SCHEMA_V6)
    .upgrade(async (tx) => {
      // Rows kept from protocol 5 lack the jobs' cost fields: pull everything again.
      await tx.table<MetaEntry, string>('meta').delete('cursor');
    });
  db.version(7)
    .stores(SCHEMA_V7)
    .upgrade(async (tx) => {
      // Changes queued by the build before: find the job each one is about.
      const outbox = tx.table<OutboxEntry, number>('outbox');
      const entries = await outbox.toArray();
      const rows = { materials: tx.table('materials'), assignments: tx.table('assignments') };
      for (const entry of entries) {
        const jobId = await jobIdOfChange(rows, entry.name, entry.args);
        if (jobId) await outbox.update(entry.seq, { jobId });
      }
    });
  return db;
}

/** Where `jobIdOfChange` looks up the job of a material or an assignment. */
interface JobChildRows {
  materials: Pick<Table<{ jobId?: unknown }, string>, 'get'>;
  assignments: Pick<Table<{ jobId?: unknown }, string>, 'get'>;
}

/**
 * The job a change is about: named in its args (`jobId`, or `id` of a job
 * change), or the job of the material or assignment it changes. Undefined
 * for a change about no job (a customer, a user, an alert rule).
 */
export async function jobIdOfChange(rows: JobChildRows, name: string, args: unknown): Promise<string | undefined> {
  const { jobId, id } = (args ?? {}) as { jobId?: unknown; id?: unknown };
  if (typeof jobId === 'string') return jobId;
  if (typeof id !== 'string') return undefined;
  if (name.startsWith('job.')) return id;
  const child = name.startsWith('material.')
    ? await rows.materials.get(id)
    : name.startsWith('assignment.')
      ? await rows.assignments.get(id)
      : undefined;
  return typeof child?.jobId === 'string' ? child.jobId : undefined;
}

/** Every wire table, in the order pulls list them. */
export const SYNCED_TABLE_NAMES: readonly SyncedTable[] = SYNCED_TABLES;

/** Reads one meta value inside or outside a transaction. */
export async function readMeta<K extends MetaKey>(db: FieldsyncDatabase, key: K): Promise<MetaValues[K] | undefined> {
  const entry = await db.meta.get(key);
  return entry?.value as MetaValues[K] | undefined;
}

export async function writeMeta<K extends MetaKey>(db: FieldsyncDatabase, key: K, value: MetaValues[K]): Promise<void> {
  await db.meta.put({ key, value });
}
