// Public surface of the offline store and sync engine (see README.md). React helpers live in './react'.

export { mutationAppliers } from './appliers';
export { BACKOFF_BASE_MS, BACKOFF_CAP_MS, nextBackoffDelay } from './backoff';
export {
  type AttachmentVariant,
  createFieldsyncClient,
  type FieldsyncClient,
  type FieldsyncClientOptions,
  type NewAttachment,
} from './client';
export {
  type AttachmentFile,
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
export { NO_UPLOADS, type SyncState, type UploadSummary } from './sync-state';
export type { FetchLike } from './transport';
export { describeUploads } from './uploads/describe-uploads';
export { KEEP_UPLOADED_FILES_MS, MAX_PARALLEL_UPLOADS } from './uploads/upload-selection';
export type { RunningUpload, UploadOutcome, UploadRequest, UploadTransport } from './uploads/upload-transport';
export { newId, uuidv7 } from './uuid';
