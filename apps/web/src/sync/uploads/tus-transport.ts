import { errorBodySchema, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import type { RunningUpload, UploadOutcome, UploadTransport } from './upload-transport';

/** Bytes per PATCH: the server takes request bodies up to 1 MiB. */
export const UPLOAD_CHUNK_BYTES = 512 * 1024;
/**
 * tus-js-client's own quick retries for a blip inside one attempt (it resumes
 * from the server's offset each time); longer waits are the queue's backoff.
 */
const QUICK_RETRY_DELAYS_MS = [0, 1_000, 3_000];

type TusModule = typeof import('tus-js-client');
type DetailedError = import('tus-js-client').DetailedError;

let tusModule: Promise<TusModule> | null = null;
/** Loaded on the first upload only: tus-js-client stays out of the sign-in bundle. */
function loadTus(): Promise<TusModule> {
  tusModule ??= import('tus-js-client');
  return tusModule;
}

const statusOf = (error: Error): number => (error as Partial<DetailedError>).originalResponse?.getStatus() ?? 0;

/** The server's `{ error: { code, message } }`, when the answer carried one. */
function serverError(error: Error): { code: string; message: string } | undefined {
  const body = (error as Partial<DetailedError>).originalResponse?.getBody();
  if (!body) return undefined;
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}

/** What an error from tus-js-client means for the queue (see `UploadOutcome`). */
export function outcomeOfTusError(error: Error): UploadOutcome {
  const status = statusOf(error);
  const answer = serverError(error);
  if (status === 0) return { kind: 'offline' };
  if (status === 401) return { kind: 'unauthorized' };
  if (status === 404) return { kind: 'not_ready' };
  // 409 without our code is tus's own "wrong offset": the next attempt asks the server where it stands.
  if (status === 409 && answer?.code !== 'checksum_mismatch') return { kind: 'retry', message: error.message };
  if (status === 410 || status === 423 || status === 429 || status >= 500) {
    return { kind: 'retry', message: answer?.message ?? `The server answered ${status}.` };
  }
  return {
    kind: 'refused',
    status,
    code: answer?.code ?? `http_${status}`,
    message: answer?.message ?? `The server refused this file (${status}).`,
  };
}

/** Quick retries only for answers that may go away by themselves, and only while the device is online. */
function worthQuickRetry(error: DetailedError): boolean {
  const outcome = outcomeOfTusError(error);
  const online = typeof navigator === 'undefined' || navigator.onLine !== false;
  return (outcome.kind === 'retry' || outcome.kind === 'offline') && online;
}

/**
 * The real transport: tus 1.0 (core + creation) to `${baseUrl}/api/uploads`
 * with tus-js-client, in chunks of `UPLOAD_CHUNK_BYTES`, resuming from
 * `uploadUrl` when one is given (it asks the server's offset with HEAD; an
 * upload the server no longer knows starts over). URLs are kept by the queue
 * in IndexedDB, not in tus-js-client's localStorage.
 */
export function createTusTransport(baseUrl: string): UploadTransport {
  return {
    upload(request, callbacks): RunningUpload {
      let aborted = false;
      let stop: (() => void) | undefined;
      const done = new Promise<UploadOutcome>((resolve) => {
        void (async () => {
          const tus = await loadTus();
          // Node's build of tus-js-client reads Buffers, not Blobs (tests against a real server).
          const nodeBuild = tus.defaultOptions.httpStack.getName() === 'NodeHttpStack';
          const input = nodeBuild ? await blobAsBuffer(request.blob) : request.blob;
          if (aborted) return resolve({ kind: 'retry', message: 'Stopped.' });
          const upload = new tus.Upload(input as Blob, {
            endpoint: `${baseUrl}/api/uploads`,
            uploadUrl: request.uploadUrl,
            uploadSize: request.blob.size,
            metadata: {
              attachmentId: request.attachmentId,
              filename: request.fileName,
              filetype: request.contentType,
            },
            headers: {
              authorization: `Bearer ${request.accessToken}`,
              [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
            },
            chunkSize: UPLOAD_CHUNK_BYTES,
            retryDelays: QUICK_RETRY_DELAYS_MS,
            storeFingerprintForResuming: false,
            removeFingerprintOnSuccess: false,
            onShouldRetry: worthQuickRetry,
            onUploadUrlAvailable: () => {
              if (upload.url) callbacks.onUploadUrl(upload.url);
            },
            onProgress: (sent) => callbacks.onProgress(sent),
            onChunkComplete: (_chunk, accepted) => callbacks.onAcknowledged(accepted),
            onSuccess: () => resolve({ kind: 'uploaded' }),
            onError: (error) => resolve(outcomeOfTusError(error)),
          });
          stop = () => {
            void upload.abort(false).catch(() => undefined);
            resolve({ kind: 'retry', message: 'Stopped.' });
          };
          upload.start();
        })().catch((error: unknown) =>
          resolve({ kind: 'retry', message: error instanceof Error ? error.message : String(error) }),
        );
      });
      return {
        done,
        abort() {
          aborted = true;
          stop?.();
        },
      };
    },
  };
}

async function blobAsBuffer(blob: Blob): Promise<unknown> {
  const NodeBuffer = (globalThis as { Buffer?: { from(data: ArrayBuffer): unknown } }).Buffer;
  return NodeBuffer ? NodeBuffer.from(await blob.arrayBuffer()) : blob;
}
