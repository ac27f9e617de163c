// Public surface of the offline store and sync engine (see README.md). React helpers live in './react'.

export { mutationAppliers } from './appliers';
export { BACKOFF_BASE_MS, BACKOFF_CAP_MS, nextBackoffDelay } from './backoff';
export {
  createFieldsyncClient,
  type EventSourceFactory,
  type EventSourceLike,
  type FieldsyncClient,
  type FieldsyncClientOptions,
  type LockManagerLike,
  type MutateArgs,
  type StorageManagerLike,
  type SyncLogger,
  type SyncState,
} from './client';
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
  type SessionUser,
  type Shadow,
} from './database';
export { AuthError, HttpError, MutationRefusedError, NetworkError, PendingChangesError } from './errors';
export type { FetchLike } from './transport';
export { newId, uuidv7 } from './uuid';
