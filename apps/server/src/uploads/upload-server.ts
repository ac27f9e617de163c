/**
 * `/api/uploads`: attachment bytes by tus 1.0 (core + creation), through
 * @tus/server over the Postgres byte store. Everything an upload needs is in
 * the database (its length, its acknowledged offset, its pieces), so an
 * upload resumes on any instance and after any restart. The only memory is
 * tus's per-instance lock, which makes a newer request on the same upload
 * take over from an older one on that instance; across instances the store's
 * offset check keeps pieces from interleaving.
 *
 * Failures are answered with the app's JSON error body (`{ error: { code,
 * message } }`) and the tus headers; never with the bytes or a database
 * message.
 */
import { idSchema } from '@fieldsync/domain';
import type { ErrorBody, ErrorCode } from '@fieldsync/protocol';
import { MemoryLocker, Server, type Upload } from '@tus/server';
import type { Logger } from 'pino';
import type { AuthUser } from '../auth/tokens';
import type { Database } from '../db/database';
import { pgErrorCode } from '../sync/pg-error-code';
import { type AttachmentForBytes, attachmentFor } from './attachment-access';
import type { AttachmentByteStore } from './attachment-byte-store';
import { completeUpload } from './complete-upload';
import { TusAttachmentStore } from './tus-attachment-store';

export const UPLOADS_PATH = '/api/uploads';

/** The HTTP status of each code an upload may be refused with (this is the edge for uploads). */
const UPLOAD_STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_body: 400,
  not_found: 404,
  checksum_mismatch: 409,
  validation_failed: 409,
  body_too_large: 413,
  content_type_mismatch: 415,
  internal: 500,
  db_unavailable: 503,
};

/** A refusal in the shape @tus/server answers with (`status_code`, `body`), the body being our JSON error. */
class UploadRefusal {
  readonly status_code: number;
  readonly body: string;
  constructor(code: ErrorCode, message: string) {
    this.status_code = UPLOAD_STATUS[code] ?? 400;
    this.body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
  }
}

/** Plain words and a code for the refusals @tus/server makes on its own, by status. */
const TUS_REFUSALS: Record<number, [ErrorCode, string]> = {
  400: ['invalid_body', 'This upload request is not valid tus 1.0 (check Upload-Length and Upload-Metadata).'],
  403: ['invalid_body', 'A PATCH must carry Upload-Offset and Content-Type: application/offset+octet-stream.'],
  404: ['not_found', 'There is no such upload; start a new one.'],
  409: [
    'validation_failed',
    'The upload is further along than this request says; ask where it stands (HEAD) and resume from there.',
  ],
  410: ['not_found', 'This upload is gone; start a new one.'],
  412: ['invalid_body', 'Send Tus-Resumable: 1.0.0 with every upload request.'],
  413: ['body_too_large', 'This is more than the file has left to send, or more than the server takes.'],
  501: ['invalid_body', 'This server takes tus core and creation only (no deferred length, no concatenation).'],
};

export interface UploadServerDeps {
  database: Database;
  store: AttachmentByteStore;
  logger: Logger;
  now: () => Date;
  maxUploadBytes: number;
}

export type UploadServer = ReturnType<typeof createUploadServer>;

export function createUploadServer(deps: UploadServerDeps) {
  const db = deps.database.db;
  // tus's in-process lock, shared by every request on this instance.
  const locker = new MemoryLocker();

  /** Answers one tus request (POST, HEAD, PATCH, OPTIONS) of a signed-in user. */
  async function handle(user: AuthUser, request: Request): Promise<Response> {
    // Found by the first hook and kept for the later ones of the same request.
    let attachment: AttachmentForBytes | undefined;

    const server = new Server({
      path: UPLOADS_PATH,
      datastore: new TusAttachmentStore(deps.store, user.orgId),
      locker,
      maxSize: deps.maxUploadBytes,
      // `/api/uploads/<id>`: right behind any proxy, where the Host header may not be the public one.
      relativeLocation: true,
      // Same-origin app: no cross-origin caller is allowed.
      allowedOrigins: [],
      namingFunction: (_req, metadata) => {
        const attachmentId = idSchema.safeParse(metadata?.attachmentId);
        if (!attachmentId.success) {
          throw new UploadRefusal(
            'invalid_body',
            'Upload-Metadata must carry attachmentId: the id of the attachment these bytes belong to.',
          );
        }
        return attachmentId.data;
      },
      onIncomingRequest: async (req, id) => {
        attachment = idSchema.safeParse(id).success ? await attachmentFor(db, user, id, 'upload') : undefined;
        if (!attachment) throw new UploadRefusal('not_found', 'There is no such attachment to upload to.');
        if (req.method === 'HEAD') await finishIfComplete(user, attachment);
      },
      onUploadCreate: async (_req, upload: Upload) => {
        const target = attachment as AttachmentForBytes;
        if (target.uploadedAt !== null) {
          throw new UploadRefusal('validation_failed', 'This file is already uploaded.');
        }
        if (upload.size !== target.byteSize) {
          throw new UploadRefusal(
            'invalid_body',
            `Upload-Length is ${upload.size ?? 'missing'}, but this attachment is ${target.byteSize} bytes.`,
          );
        }
        return {};
      },
      onUploadFinish: async () => {
        const completion = await completeUpload(
          { db, store: deps.store, now: deps.now },
          attachment as AttachmentForBytes,
          user.userId,
        );
        if (!completion.ok) throw new UploadRefusal(completion.code, completion.message);
        return {};
      },
      onResponseError: (_req, error) => {
        // Refusals (ours and tus's own, which all carry a status) are answered as they are.
        if (typeof (error as { status_code?: unknown }).status_code === 'number') return undefined;
        return unexpected(error as Error);
      },
    });
    const response = await server.handleWeb(request);
    if (response.status >= 400) await drainUnread(request, deps.maxUploadBytes);
    return response.status >= 400 ? withJsonError(response) : response;
  }

  /**
   * All bytes stored but never checked (the server went down between the
   * last piece and the check): a client resuming finds the upload complete
   * and would stop, so the check runs on its HEAD. If it fails, the bytes
   * are gone and the HEAD's refusal makes the client start a new upload.
   */
  async function finishIfComplete(user: AuthUser, attachment: AttachmentForBytes) {
    if (attachment.uploadedAt !== null) return;
    const progress = await deps.store.progress(user.orgId, attachment.id);
    if (!progress || progress.offset !== progress.length) return;
    const completion = await completeUpload({ db, store: deps.store, now: deps.now }, attachment, user.userId);
    if (!completion.ok) throw new UploadRefusal(completion.code, completion.message);
  }

  /** A thrown error of ours (or the database's): logged without its message, which may quote data. */
  function unexpected(error: Error) {
    if (deps.database.reportFailure(error)) {
      return new UploadRefusal('db_unavailable', 'The server cannot reach its database right now; try again shortly.');
    }
    deps.logger.error(
      { errorType: error.name, sqlState: pgErrorCode(error), at: error.stack?.split('\n').slice(1, 6).join('\n') },
      'upload failed',
    );
    return new UploadRefusal('internal', 'Something went wrong on the server; the upload can resume.');
  }

  return { handle };
}

/** A tus error response with the app's JSON error body (tus answers in plain text), its tus headers kept. */
async function withJsonError(response: Response): Promise<Response> {
  const text = await response.text();
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.set('content-type', 'application/json');
  if (response.status === 503) headers.set('retry-after', '5');
  let body = text;
  if (!isErrorBody(text)) {
    const [code, message] = TUS_REFUSALS[response.status] ?? ['internal', 'Something went wrong on the server.'];
    body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
  }
  return new Response(body, { status: response.status, headers });
}

function isErrorBody(text: string) {
  try {
    return typeof (JSON.parse(text) as ErrorBody).error?.code === 'string';
  } catch {
    return false;
  }
}

/**
 * Reads the rest of a refused body (up to the largest upload) before the
 * answer goes out: a server that answers while the client is still sending
 * makes the client see a broken connection instead of the answer.
 */
async function drainUnread(request: Request, maxBytes: number) {
  if (!request.body || request.bodyUsed) return;
  const reader = request.body.getReader();
  let read = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    read += next.value.byteLength;
    if (read > maxBytes) {
      await reader.cancel();
      return;
    }
  }
}
