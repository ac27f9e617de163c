// Public surface of the offline store and sync engine (see README.md). React helpers live in './react'.

export { mutationAppliers } from './appliers';
export { BACKOFF_BASE_MS, BACKOFF_CAP_MS, nextBackoffDelay } from './backoff';
export { createFieldsyncClient, type FieldsyncClient, type FieldsyncClientOptions } from './client';
export {
  CURRENT_SCHEMA_VERSION,
  type FieldsyncDatabase,
  type LocalMarks,
  type LocalRow,
  type OutboxEntry,
  openFieldsyncDatabase,
  type RejectedChange,
  SCHEMA_V1,
  SCHEMA_V2,
  SCHEMA_V3,
  SCHEMA_V4,
  type SessionUser,
  type Shadow,
} from './database';
export type { StorageManagerLike } from './device-storage';
export { AuthError, HttpError, MutationRefusedError, NetworkError, PendingChangesError } from './errors';
export type { EventSourceFactory, EventSourceLike } from './live-updates';
export type { MutateArgs } from './local-changes';
export {
  dismissScheduleNotice,
  readScheduleNotices,
  type ScheduleNotice,
  scheduleNoticeText,
} from './schedule-notices';
export type { LockManagerLike } from './session';
export type { SyncLogger } from './sync-pass';
export type { SyncState } from './sync-state';
export type { FetchLike } from './transport';
export { newId, uuidv7 } from './uuid';
