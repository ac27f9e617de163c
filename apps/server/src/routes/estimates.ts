import { idSchema } from '@fieldsync/domain';
import { Hono } from 'hono';
import { ApiError } from '../errors';
import { type EstimatePdfOptions, renderEstimatePdf } from '../estimates/estimate-pdf';
import { estimatePdfSource } from '../estimates/estimate-pdf-source';
import type { AppEnv, ServerDeps } from '../http/context';
import { requireAuth } from '../http/require-auth';
import { createPostgresByteStore } from '../uploads/postgres-byte-store';

/**
 * `/api/estimates/:id/pdf`: the customer's copy of an estimate, for whoever
 * sees the estimate (see `estimatePdfSource`). 404 alike for an estimate that
 * does not exist, was removed, or is out of the caller's reach.
 */
export function estimateRoutes(deps: ServerDeps, pdfOptions: EstimatePdfOptions = {}) {
  const store = createPostgresByteStore(deps.database.db);
  return new Hono<AppEnv>().use(requireAuth(deps)).get('/:id/pdf', async (c) => {
    const id = idSchema.safeParse(c.req.param('id'));
    if (!id.success) throw new ApiError('invalid_body', 'The estimate id must be a UUID.');
    const content = await estimatePdfSource(deps.database.db, store, c.get('user'), id.data);
    if (!content) throw new ApiError('not_found', 'There is no such estimate, or it is not yours to see.');
    const pdf = await renderEstimatePdf(content, pdfOptions);
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Length': String(pdf.byteLength),
      'Content-Disposition': `inline; filename="${content.estimate.number}.pdf"`,
      'Cache-Control': 'private, no-store',
    });
  });
}
