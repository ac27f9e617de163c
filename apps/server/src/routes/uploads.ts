import { type Context, Hono } from 'hono';
import { ApiError } from '../errors';
import type { AppEnv, ServerDeps } from '../http/context';
import type { ServerMetrics } from '../http/metrics';
import { requireAuth } from '../http/require-auth';
import { requireProtocol } from '../http/require-protocol';
import { createPostgresByteStore } from '../uploads/postgres-byte-store';
import { createUploadServer } from '../uploads/upload-server';

/**
 * `/api/uploads`: attachment bytes by the tus 1.0 resumable protocol (core +
 * creation). `POST /` creates the upload of an attachment (`Upload-Metadata`
 * carries `attachmentId`; `Upload-Length` must be its `byteSize`), `HEAD /:id`
 * says how far it got, `PATCH /:id` sends bytes from there.
 */
export function uploadRoutes(deps: ServerDeps, metrics: ServerMetrics) {
  const uploads = createUploadServer({
    database: deps.database,
    store: createPostgresByteStore(deps.database.db),
    logger: deps.logger,
    now: deps.now,
    maxUploadBytes: deps.maxUploadBytes,
  });
  const tus = (c: Context<AppEnv>) => uploads.handle(c.get('user'), c.req.raw);
  /** A PATCH, counting the bytes it stored: how far it moved the upload's offset. */
  const append = async (c: Context<AppEnv>) => {
    const from = Number(c.req.header('upload-offset'));
    const response = await tus(c);
    const to = Number(response.headers.get('upload-offset'));
    if (response.status === 204 && to > from) metrics.countUploadBytes(to - from);
    return response;
  };

  return (
    new Hono<AppEnv>()
      .use(requireProtocol)
      .use(requireAuth(deps))
      .post('/', tus)
      .options('/', tus)
      .patch('/:id', append)
      .options('/:id', tus)
      // Hono routes HEAD to GET handlers (and drops the body); an upload is never downloaded from here.
      .get('/:id', (c) => {
        if (c.req.method !== 'HEAD')
          throw new ApiError('not_found', 'Uploads are sent here; read files at /api/attachments/:id.');
        return tus(c);
      })
  );
}
