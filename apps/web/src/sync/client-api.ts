import type { MutationName, SignupRequest } from '@fieldsync/protocol';
import type { FieldsyncDatabase, IndexedDbDeps, SessionUser } from './database';
import type { StorageManagerLike } from './device-storage';
import type { EventSourceFactory } from './live-updates';
import type { MutateArgs } from './local-changes';
import type { LockManagerLike, ServerConfig, Session } from './session';
import type { SyncLogger } from './sync-pass';
import type { SyncState } from './sync-state';
import type { FetchLike } from './transport';
import type { NewAttachment } from './uploads/add-attachment';
import type { AttachmentVariant } from './uploads/attachment-download';
import type { UploadTransport } from './uploads/upload-transport';

export type { NewAttachment } from './uploads/add-attachment';
export type { AttachmentVariant } from './uploads/attachment-download';

// The client's public shape, apart from `client.ts` so that the wiring there stays short.

export interface FieldsyncClientOptions {
  /** Server origin, '' for same-origin. */
  baseUrl: string;
  /** IndexedDB database name; one per app (tests: one per test). */
  dbName: string;
  fetch?: FetchLike;
  /** Milliseconds since the epoch (device clock). */
  now?: () => number;
  /** [0, 1) — used for retry jitter. */
  random?: () => number;
  /** Opens the live-update stream; null turns live updates off (Node). Default: `EventSource` when present. */
  eventSource?: EventSourceFactory | null;
  /** Web Locks, so one tab syncs at a time; null to sync without. Default: `navigator.locks` when present. */
  locks?: LockManagerLike | null;
  /** Initial online guess (`navigator.onLine`); a failed request is the real signal. */
  online?: () => boolean;
  storage?: StorageManagerLike | null;
  logger?: SyncLogger;
  /** fake-indexeddb in Node tests. */
  indexedDB?: IndexedDbDeps['indexedDB'];
  IDBKeyRange?: IndexedDbDeps['IDBKeyRange'];
  /** Debounce between a local change and the sync it triggers. */
  debounceMs?: number;
  /** How attachment bytes travel. Default: tus to `${baseUrl}/api/uploads` (tus-js-client, loaded on first use). */
  uploadTransport?: UploadTransport;
}

/** The offline store and sync engine, as screens and harnesses use it (see README.md). */
export interface FieldsyncClient {
  readonly db: FieldsyncDatabase;
  /** The signed-in person, or null. */
  readonly session: { user: SessionUser } | null;
  signIn(email: string, password: string): Promise<SessionUser>;
  /**
   * Starts a new company with the caller as its admin and signs them in
   * (`POST /api/orgs`); syncing starts as after `signIn`, which it throws like.
   */
  signUp(body: SignupRequest): Promise<SessionUser>;
  /** Sets the password an invite or reset link asks for and signs in (`POST /api/auth/accept-invite`). */
  acceptInvite(token: string, password: string): Promise<SessionUser>;
  /**
   * Changes the signed-in person's password. The server ends every other
   * session of theirs; this device carries on with the fresh one it answers.
   * A wrong current password is an `AuthError` with code `invalid_credentials`.
   */
  changePassword(currentPassword: string, newPassword: string): Promise<SessionUser>;
  /** What the server allows before sign-in (`GET /api/config`). Throws `NetworkError` offline, `HttpError` otherwise. */
  fetchConfig(): Promise<ServerConfig>;
  signOut(options?: { force?: boolean }): Promise<void>;
  /**
   * A JSON request to the server as the signed-in person (protocol header,
   * bearer token, one refresh on a 401). Throws `HttpError` for a non-2xx
   * answer, `NetworkError` offline (or aborted), and an `Error` in plain
   * words when the session is over.
   */
  request: Session['request'];
  /** Pending changes as a JSON string, for a person to download before a forced sign-out. */
  exportPending(): Promise<string>;
  mutate<N extends MutationName>(name: N, args: MutateArgs<N>): Promise<{ seq: number }>;
  /**
   * Adds a photo, signature or document to a job: computes its SHA-256 and a
   * small preview, then stores the file and queues `attachment.add` in one
   * transaction (nothing is stored when the change is refused). The bytes
   * upload by themselves once the server has applied the change (see
   * `SyncState.uploads`). Throws `MutationRefusedError` in plain words.
   */
  addAttachment(input: NewAttachment): Promise<{ id: string; seq: number }>;
  /** What attachments take on this device: full files still kept plus previews. */
  storageUsage(): Promise<{ bytes: number; files: number }>;
  /**
   * An attachment's bytes from the server (`full`) or its thumbnail (at most
   * 320 px). Throws `NetworkError` offline, `HttpError` otherwise (404: not
   * uploaded yet, or not this person's job).
   */
  fetchAttachment(id: string, variant: AttachmentVariant): Promise<Blob>;
  /** Any file the server answers at `path` (a CSV export), as the signed-in person; throws as `fetchAttachment`. */
  fetchFile(path: string): Promise<Blob>;
  syncNow(): Promise<void>;
  start(): void;
  stop(): void;
  subscribe(listener: () => void): () => void;
  getState(): SyncState;
  /** Deletes a rejected change for good (ask the person first: it is the only copy). */
  dismissRejected(id: number): Promise<void>;
  /**
   * Queues a rejected change again as a new change (through `mutate`, so the
   * same checks run), optionally on another job (`note.add`, `material.add`).
   * The rejected entry stays listed, marked as sent again, until deleted.
   * Throws `MutationRefusedError` when the change cannot be made now.
   */
  retryRejected(id: number, options?: { jobId?: string }): Promise<{ seq: number }>;
  close(): void;
}
