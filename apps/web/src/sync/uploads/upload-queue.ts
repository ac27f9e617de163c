import { nextBackoffDelay } from '../backoff';
import type { AttachmentFile, FieldsyncDatabase } from '../database';
import { globalTimers, type Timers } from '../scheduler';
import { AccountDisabled, type LockManagerLike, SignInRequired } from '../session';
import type { SyncLogger } from '../sync-pass';
import type { SyncStateStore, UploadSummary } from '../sync-state';
import type { UploadAuth } from './upload-auth';
import {
  type AttachmentRowFacts,
  dueUploads,
  filesAlreadyUploaded,
  filesToPrune,
  MAX_PARALLEL_UPLOADS,
  summarizeUploads,
} from './upload-selection';
import type { UploadOutcome, UploadTransport } from './upload-transport';

/** Screens hear about upload progress at most this often. */
export const UPLOAD_PROGRESS_INTERVAL_MS = 250;

export interface UploadQueueDeps {
  db: FieldsyncDatabase;
  store: SyncStateStore;
  transport: UploadTransport;
  auth: UploadAuth;
  now(): number;
  /** [0, 1): the backoff's jitter. */
  random(): number;
  logger: SyncLogger;
  /** Web Locks, so one tab sends a given file; null without (Node, one tab). */
  locks: LockManagerLike | null;
  /** Whether uploads may start: the client is started and the session usable. */
  isRunning(): boolean;
  /** A file finished: the server pokes, but a pull soon brings its `uploadedAt` without live updates too. */
  onUploaded(): void;
  onSignInRequired(): void;
  onAccountDisabled(): void;
  timers?: Timers;
  maxParallel?: number;
}

/**
 * The upload queue: sends each attachment's bytes once the server has applied
 * its `attachment.add`, one or two at a time, resuming from the stored tus
 * URL after a reload or an outage. A failed attempt waits out an exponential
 * backoff with full jitter; a 404 (change not applied yet) waits the same
 * way; a 401 refreshes the tokens and goes again; a refusal for good (409
 * `checksum_mismatch`, 415 `content_type_mismatch`, …) marks the file
 * `failed` with plain words in `error`. Nothing here throws: failures become
 * file states and warnings.
 */
export interface UploadQueue {
  /** Starts the files that are due (after a change, when back online, after a backoff). */
  kick(): Promise<void>;
  /** After a sync pass: notes files the server already holds, drops old full-size copies, then kicks. */
  afterSync(): Promise<void>;
  /** Re-reads the files and tells the screens (`SyncState.uploads`). */
  refreshSummary(): Promise<void>;
  /** Stops sending (the server keeps what it has) and cancels every timer. */
  stop(): void;
  /** Resolves once no upload is in flight and no kick is under way. */
  settled(): Promise<void>;
}

interface InFlight {
  sent: number;
  abort: (() => void) | null;
  done: Promise<void>;
}

const UPLOAD_LOCK_PREFIX = 'fieldsync-upload-';

/** Plain words for a file the server will never take. */
export function refusalMessage(outcome: Extract<UploadOutcome, { kind: 'refused' }>): string {
  if (outcome.code === 'checksum_mismatch') {
    return 'The file was damaged on its way to the server, so it was not kept. Delete it and add it again.';
  }
  if (outcome.code === 'content_type_mismatch') {
    return 'The file is not the kind of file it says it is, so the server did not accept it. Delete it and add it again.';
  }
  if (outcome.status === 413) return 'This file is larger than the server accepts.';
  return outcome.message || 'The server did not accept this file.';
}

export function createUploadQueue(deps: UploadQueueDeps): UploadQueue {
  const { db, store } = deps;
  const timers = deps.timers ?? globalTimers;
  const inFlight = new Map<string, InFlight>();
  const attempts = new Map<string, number>();
  const backoffTimers = new Map<string, unknown>();
  let kicking: Promise<void> | null = null;
  let kickAgain = false;
  let progressTimer: unknown;

  /** The files not yet uploaded (uploaded ones only matter to pruning), their rows and the queued adds. */
  async function readFacts() {
    const [files, outbox] = await Promise.all([
      db.attachmentFiles.where('uploadState').anyOf('waiting', 'uploading', 'failed').toArray(),
      db.outbox.toArray(),
    ]);
    const found = await db.attachments.bulkGet(files.map((file) => file.id));
    const rows = new Map<string, AttachmentRowFacts & { fileName: string; contentType: string }>();
    for (const row of found) if (row) rows.set(row.id, row);
    const queuedAdds = new Set<string>();
    for (const entry of outbox) {
      const id = (entry.args as { id?: unknown } | null)?.id;
      if (entry.name === 'attachment.add' && typeof id === 'string') queuedAdds.add(id);
    }
    return { files, rows, queuedAdds };
  }

  async function refreshSummary(): Promise<void> {
    const { files, rows, queuedAdds } = await readFacts();
    const live = new Map([...inFlight].map(([id, upload]) => [id, upload.sent]));
    const uploads = summarizeUploads(files, rows, queuedAdds, live);
    if (!sameSummary(store.getState().uploads, uploads)) store.patch({ uploads });
  }

  /** Throttled: progress arrives many times a second, screens need it a few times. */
  function refreshSummarySoon() {
    if (progressTimer !== undefined) return;
    progressTimer = timers.set(() => {
      progressTimer = undefined;
      void refreshSummary().catch(warn('upload progress'));
    }, UPLOAD_PROGRESS_INTERVAL_MS);
  }

  function kick(): Promise<void> {
    if (kicking) {
      kickAgain = true;
      return kicking;
    }
    kicking = (async () => {
      do {
        kickAgain = false;
        await startDue();
      } while (kickAgain);
    })()
      .catch(warn('upload queue'))
      .finally(() => {
        kicking = null;
      });
    return kicking;
  }

  async function startDue() {
    const { files, rows, queuedAdds } = await readFacts();
    await markUploaded(filesAlreadyUploaded(files, rows));
    if (deps.isRunning()) {
      const due = dueUploads({
        files,
        rows,
        queuedAdds,
        inFlight: new Set(inFlight.keys()),
        backingOff: new Set(backoffTimers.keys()),
        maxParallel: deps.maxParallel ?? MAX_PARALLEL_UPLOADS,
      });
      for (const file of due) {
        const row = rows.get(file.id);
        if (row) start(file as AttachmentFile, row);
      }
    }
    await refreshSummary();
  }

  async function markUploaded(ids: readonly string[]) {
    if (ids.length === 0) return;
    await db.transaction('rw', db.attachmentFiles, async () => {
      for (const id of ids) {
        const file = await db.attachmentFiles.get(id);
        if (file)
          await db.attachmentFiles.update(id, { uploadState: 'uploaded', uploadedBytes: file.byteSize, error: null });
      }
    });
  }

  function start(file: AttachmentFile, row: { fileName: string; contentType: string }) {
    const upload: InFlight = { sent: file.uploadedBytes, abort: null, done: Promise.resolve() };
    inFlight.set(file.id, upload);
    const run = () => send(file, row, upload);
    upload.done = (
      deps.locks
        ? deps.locks.request(`${UPLOAD_LOCK_PREFIX}${file.id}`, { ifAvailable: true }, async (lock) => {
            // Another tab is sending this file: look again later, in case that tab closes.
            if (lock) await run();
            else backOff(file.id);
          })
        : run()
    )
      .catch(warn('upload'))
      .finally(async () => {
        inFlight.delete(file.id);
        await refreshSummary().catch(warn('upload progress'));
        // A slot is free: the next file may start.
        if (deps.isRunning()) await kick();
      });
  }

  /** One attempt at one file; its outcome becomes the file's state. */
  async function send(file: AttachmentFile, row: { fileName: string; contentType: string }, upload: InFlight) {
    if (!file.blob) return;
    let token: string;
    try {
      token = await deps.auth.accessToken();
    } catch (error) {
      sessionOver(error);
      backOff(file.id);
      return;
    }
    // Writes from the callbacks, in order, finished before the outcome is written.
    let writes: Promise<unknown> = db.attachmentFiles.update(file.id, { uploadState: 'uploading' });
    const write = (changes: Partial<AttachmentFile>) => {
      writes = writes.then(() => db.attachmentFiles.update(file.id, changes)).catch(warn('upload state'));
    };
    const running = deps.transport.upload(
      {
        attachmentId: file.id,
        blob: file.blob,
        fileName: row.fileName,
        contentType: row.contentType,
        uploadUrl: file.uploadUrl,
        accessToken: token,
      },
      {
        onUploadUrl: (uploadUrl) => write({ uploadUrl }),
        onProgress: (sent) => {
          upload.sent = sent;
          refreshSummarySoon();
        },
        onAcknowledged: (uploadedBytes) => write({ uploadedBytes }),
      },
    );
    upload.abort = running.abort;
    const outcome = await running.done;
    await writes;
    await settle(file, outcome, token);
  }

  async function settle(file: AttachmentFile, outcome: UploadOutcome, token: string) {
    switch (outcome.kind) {
      case 'uploaded':
        attempts.delete(file.id);
        await db.attachmentFiles.update(file.id, {
          uploadState: 'uploaded',
          uploadedBytes: file.byteSize,
          error: null,
        });
        deps.onUploaded();
        return;
      case 'refused':
        attempts.delete(file.id);
        await db.attachmentFiles.update(file.id, { uploadState: 'failed', error: refusalMessage(outcome) });
        return;
      case 'unauthorized':
        await db.attachmentFiles.update(file.id, { uploadState: 'waiting' });
        try {
          await deps.auth.refreshAfter(token);
        } catch (error) {
          // A session that ended stops the queue (`isRunning`); otherwise the refresh itself failed.
          sessionOver(error);
          backOff(file.id);
          return;
        }
        // A fresh token: go again at once, unless a fresh token was refused too.
        if ((attempts.get(file.id) ?? 0) > 0) backOff(file.id);
        else attempts.set(file.id, 1);
        return;
      case 'offline':
        store.patch({ online: false });
        await db.attachmentFiles.update(file.id, { uploadState: 'waiting' });
        backOff(file.id);
        return;
      case 'not_ready':
      case 'retry':
        await db.attachmentFiles.update(file.id, { uploadState: 'waiting' });
        backOff(file.id);
        return;
    }
  }

  /** The file waits out the next backoff step, then the queue looks again. */
  function backOff(id: string) {
    if (!deps.isRunning()) return;
    const attempt = attempts.get(id) ?? 0;
    attempts.set(id, attempt + 1);
    const handle = backoffTimers.get(id);
    if (handle !== undefined) timers.clear(handle);
    backoffTimers.set(
      id,
      timers.set(
        () => {
          backoffTimers.delete(id);
          void kick();
        },
        nextBackoffDelay(attempt, deps.random),
      ),
    );
  }

  /** True when the session ended (the flag is raised); uploads wait for the next sign-in. */
  function sessionOver(error: unknown): boolean {
    if (error instanceof SignInRequired) {
      deps.onSignInRequired();
      return true;
    }
    if (error instanceof AccountDisabled) {
      deps.onAccountDisabled();
      return true;
    }
    deps.logger.warn('fieldsync: upload could not start', error);
    return false;
  }

  function warn(what: string) {
    return (error: unknown) => deps.logger.warn(`fieldsync: ${what} failed`, error);
  }

  async function afterSync(): Promise<void> {
    try {
      const files = await db.attachmentFiles.where('uploadState').equals('uploaded').toArray();
      const prune = filesToPrune(files, deps.now());
      if (prune.length > 0) await db.attachmentFiles.where('id').anyOf(prune).modify({ blob: null });
    } catch (error) {
      warn('dropping old files')(error);
    }
    await kick();
  }

  function stop() {
    for (const upload of inFlight.values()) upload.abort?.();
    for (const handle of backoffTimers.values()) timers.clear(handle);
    backoffTimers.clear();
    if (progressTimer !== undefined) timers.clear(progressTimer);
    progressTimer = undefined;
  }

  async function settled(): Promise<void> {
    while (kicking || inFlight.size > 0) {
      await kicking;
      await Promise.all([...inFlight.values()].map((upload) => upload.done));
    }
  }

  return {
    kick,
    afterSync,
    refreshSummary: () => refreshSummary().catch(warn('upload progress')),
    stop,
    settled,
  };
}

function sameSummary(a: UploadSummary, b: UploadSummary): boolean {
  return (
    a.count === b.count &&
    a.photos === b.photos &&
    a.totalBytes === b.totalBytes &&
    a.sentBytes === b.sentBytes &&
    a.failed === b.failed
  );
}
