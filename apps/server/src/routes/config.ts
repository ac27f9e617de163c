import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../http/context';

/** What the app needs to know of this server before anyone signs in. Public. */
export function configRoutes(deps: Pick<ServerDeps, 'signupOpen'>) {
  return new Hono<AppEnv>().get('/', (c) => c.json({ signupOpen: deps.signupOpen }));
}
