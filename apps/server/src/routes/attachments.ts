import { idSchema } from '@fieldsync/domain';
import { Hono } from 'hono';
import { ApiError } from '../errors';
import type { AppEnv, ServerDeps } from '../http/context';
import { requireAuth } from '../http/require-auth';
import { attachmentFor } from '../uploads/attachment-access';
import { createPostgresByteStore } from '../uploads/postgres-byte-store';

const NOT_FOUND_MESSAGE = 'There is no such file, or it is not yours to see.';

/**
 * `/api/attachments/:id` and its thumbnail: the stored bytes of a file on a
 * job, for whoever sees the job. 404 alike for a file that does not exist, is
 * removed, is out of the caller's reach, or whose bytes have not all arrived.
 * The ETag is the file's SHA-256, so a copy is never stale under its tag.
 */
export function attachmentRoutes(deps: ServerDeps) {
  const store = createPostgresByteStore(deps.database.db);

  const readable = async (user: AppEnv['Variables']['user'], id: string) => {
    const attachment = idSchema.safeParse(id).success
      ? await attachmentFor(deps.database.db, user, id, 'read')
      : undefined;
    if (!attachment) throw new ApiError('not_found', NOT_FOUND_MESSAGE);
    if (attachment.uploadedAt === null) throw new ApiError('not_found', 'This file has not finished uploading yet.');
    return attachment;
  };

  return new Hono<AppEnv>()
    .use(requireAuth(deps))
    .get('/:id', async (c) => {
      const attachment = await readable(c.get('user'), c.req.param('id'));
      const etag = `"${attachment.sha256}"`;
      const headers: Record<string, string> = { ETag: etag, 'Cache-Control': 'private' };
      if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
      const pieces = store.read(attachment.orgId, attachment.id)[Symbol.asyncIterator]();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await pieces.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        async cancel() {
          await pieces.return?.();
        },
      });
      return c.body(body, 200, {
        ...headers,
        'Content-Type': attachment.contentType,
        'Content-Length': String(attachment.byteSize),
        'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
      });
    })
    .get('/:id/thumbnail', async (c) => {
      const attachment = await readable(c.get('user'), c.req.param('id'));
      const thumbnail = await store.thumbnail(attachment.orgId, attachment.id);
      if (!thumbnail) throw new ApiError('not_found', 'Only photos and signatures have a thumbnail.');
      const etag = `"${attachment.sha256}-thumbnail"`;
      const headers: Record<string, string> = { ETag: etag, 'Cache-Control': 'private' };
      if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
      return c.body(new Uint8Array(thumbnail.bytes), 200, {
        ...headers,
        'Content-Type': thumbnail.contentType,
        'Content-Length': String(thumbnail.bytes.byteLength),
      });
    });
}

/** Whether an `If-None-Match` header names this ETag (or `*`). */
function matches(ifNoneMatch: string | undefined, etag: string) {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim().replace(/^W\//, '');
    return trimmed === '*' || trimmed === etag;
  });
}
