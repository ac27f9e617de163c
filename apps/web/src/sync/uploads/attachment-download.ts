import { errorBodySchema, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import { HttpError, NetworkError } from '../errors';
import type { FetchLike } from '../transport';
import type { UploadAuth } from './upload-auth';

type FetchAnswer = Awaited<ReturnType<FetchLike>> & { blob?(): Promise<Blob> };

/** A file's bytes as the server serves them: the file itself or its ≤ 320 px thumbnail. */
export type AttachmentVariant = 'full' | 'thumbnail';

export interface AttachmentDownloadDeps {
  fetch: FetchLike;
  baseUrl: string;
  auth: UploadAuth;
}

/**
 * Downloads an attachment's bytes as the signed-in person
 * (`GET /api/attachments/:id[/thumbnail]`). Throws as `fetchFile`; a 404
 * means not in this person's jobs, or not uploaded yet.
 */
export function fetchAttachment(deps: AttachmentDownloadDeps, id: string, variant: AttachmentVariant): Promise<Blob> {
  return fetchFile(deps, `/api/attachments/${encodeURIComponent(id)}${variant === 'thumbnail' ? '/thumbnail' : ''}`);
}

/**
 * A file the server answers at `path` (bytes, a CSV) as the signed-in
 * person, refreshing the tokens once on a 401. Throws `NetworkError`
 * offline, `HttpError` for any other non-2xx, and
 * `SignInRequired`/`AccountDisabled` when the session is over.
 */
export async function fetchFile(deps: AttachmentDownloadDeps, path: string): Promise<Blob> {
  for (let attempt = 0; ; attempt++) {
    const token = await deps.auth.accessToken();
    let response: FetchAnswer;
    try {
      response = await deps.fetch(`${deps.baseUrl}${path}`, {
        method: 'GET',
        headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), authorization: `Bearer ${token}` },
      });
    } catch (error) {
      throw new NetworkError(error);
    }
    if (response.status === 401 && attempt === 0) {
      await deps.auth.refreshAfter(token);
      continue;
    }
    if (!response.ok) throw await httpErrorOf(response);
    try {
      // Real `fetch` answers have `blob()`; minimal fakes only `text()`.
      if (response.blob) return await response.blob();
      const type = response.headers?.get('content-type') ?? '';
      return new Blob([await response.text()], type ? { type } : {});
    } catch (error) {
      throw new NetworkError(error);
    }
  }
}

async function httpErrorOf(response: FetchAnswer): Promise<HttpError> {
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  const parsed = errorBodySchema.safeParse(body);
  const error = parsed.success ? parsed.data.error : undefined;
  return new HttpError(
    response.status,
    error?.code ?? `http_${response.status}`,
    error?.message ?? `The server answered ${response.status}.`,
    body,
  );
}
