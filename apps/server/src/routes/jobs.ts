import { canRole } from '@fieldsync/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../errors';
import type { AppEnv, ServerDeps } from '../http/context';
import { describeIssues } from '../http/parse-body';
import { requireAuth } from '../http/require-auth';
import { recommendContractors } from '../queries/recommendations';

const recommendationsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) });
const jobIdSchema = z.guid();

export function jobRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>().use(requireAuth(deps)).get('/:id/recommendations', async (c) => {
    const user = c.get('user');
    if (!canRole(user.role, 'assignments.write')) {
      throw new ApiError('forbidden', 'Only the office can see recommendations.');
    }
    const id = jobIdSchema.safeParse(c.req.param('id'));
    if (!id.success) throw new ApiError('not_found', 'There is no such job.');
    const query = recommendationsQuerySchema.safeParse(c.req.query());
    if (!query.success) throw new ApiError('invalid_body', describeIssues(query.error.issues));
    const result = await recommendContractors(deps.database, user, id.data, {
      limit: query.data.limit,
      now: deps.now(),
    });
    return c.json(result);
  });
}
