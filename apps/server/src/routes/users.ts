import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../errors';
import type { AppEnv, ServerDeps } from '../http/context';
import { requireAuth } from '../http/require-auth';

const userIdSchema = z.guid();

/** People of the caller's company. Changes to them travel as mutations; only sign-in links are here. */
export function userRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>().use(requireAuth(deps)).post('/:id/invite-link', async (c) => {
    const id = userIdSchema.safeParse(c.req.param('id'));
    if (!id.success) throw new ApiError('not_found', 'There is no such person in your company.');
    return c.json(await deps.invites.issue(c.get('user'), id.data, new URL(c.req.url).origin));
  });
}
