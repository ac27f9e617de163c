import { canRole } from '@fieldsync/domain';
import {
  type EventsTokenResponse,
  MAX_PUSH_BYTES,
  MAX_PUSH_MUTATIONS,
  pullQuerySchema,
  pushRequestSchema,
} from '@fieldsync/protocol';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { ACCOUNT_RECHECK_MS } from '../auth/account-status';
import { signAccessToken, verifyAccessToken } from '../auth/tokens';
import { ApiError } from '../errors';
import type { AppEnv, ServerDeps } from '../http/context';
import type { ServerMetrics } from '../http/metrics';
import { describeIssues, readJsonBody } from '../http/parse-body';
import { requireActiveAccount, requireAuth } from '../http/require-auth';
import { requireProtocol } from '../http/require-protocol';
import { listDeviceHealth } from '../queries/device-health';
import { streamChanges } from '../sync/event-stream';

const EVENTS_AUDIENCE = 'events';
const EVENTS_TOKEN_TTL_SECONDS = 60;
export const HEARTBEAT_MS = 25_000;

/** Why an app outside the served protocol range is refused, by what `protocolSupport` found. */
export function syncRoutes(deps: ServerDeps, metrics: ServerMetrics) {
  const nowSeconds = () => Math.floor(deps.now().getTime() / 1000);
  const authenticated = requireAuth(deps);

  return (
    new Hono<AppEnv>()
      .use(requireProtocol)
      .post(
        '/push',
        bodyLimit({
          maxSize: MAX_PUSH_BYTES,
          onError: () => {
            throw new ApiError(
              'body_too_large',
              `A push may carry at most ${MAX_PUSH_BYTES} bytes; send fewer mutations.`,
            );
          },
        }),
        authenticated,
        async (c) => {
          const body = await readJsonBody(c);
          const mutationCount = (body as { mutations?: unknown })?.mutations;
          if (Array.isArray(mutationCount) && mutationCount.length > MAX_PUSH_MUTATIONS) {
            throw new ApiError('too_many_mutations', `A push may carry at most ${MAX_PUSH_MUTATIONS} mutations.`);
          }
          const parsed = pushRequestSchema.safeParse(body);
          if (!parsed.success) throw new ApiError('invalid_body', describeIssues(parsed.error.issues));
          const answer = await deps.push.push(c.get('user'), parsed.data, {
            userAgent: c.req.header('user-agent'),
            requestId: c.get('requestId'),
          });
          metrics.countPush(parsed.data.mutations, answer.results);
          return c.json(answer);
        },
      )
      .get('/clients', authenticated, async (c) => {
        const user = c.get('user');
        if (!canRole(user.role, 'jobs.read_all'))
          throw new ApiError('forbidden', 'Only the office can see device health.');
        return c.json({ clients: await listDeviceHealth(deps.database.db, user) });
      })
      .get('/pull', authenticated, async (c) => {
        const parsed = pullQuerySchema.safeParse(c.req.query());
        if (!parsed.success) throw new ApiError('invalid_body', describeIssues(parsed.error.issues));
        const answer = await deps.pull.pull(c.get('user'), parsed.data).catch((error: unknown) => {
          metrics.countPull(undefined);
          throw error;
        });
        metrics.countPull(answer);
        return c.json(answer);
      })
      // EventSource cannot send headers: the app trades its bearer token for a one-minute stream token.
      .post('/events/token', authenticated, async (c) => {
        const token = await signAccessToken(
          c.get('user'),
          deps.signingKey,
          EVENTS_TOKEN_TTL_SECONDS,
          nowSeconds(),
          EVENTS_AUDIENCE,
        );
        return c.json({ token, expiresIn: EVENTS_TOKEN_TTL_SECONDS } satisfies EventsTokenResponse);
      })
      .get('/events', async (c) => {
        const queryToken = c.req.query('token');
        const user = queryToken
          ? await verifyAccessToken(queryToken, deps.signingKey, nowSeconds(), EVENTS_AUDIENCE)
          : await verifyAccessToken(
              c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '',
              deps.signingKey,
              nowSeconds(),
            );
        if (!user.ok) throw new ApiError('unauthorized', 'Sign in to receive live updates.');
        await requireActiveAccount(deps, user.user);
        const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
        // A stream outlives its one-minute token: it asks again, so a turned-off account's stream closes.
        const access = {
          stillAllowed: () => deps.auth.isAccountActive(user.user),
          recheckMs: deps.accountRecheckMs ?? ACCOUNT_RECHECK_MS,
        };

        return streamSSE(c, async (stream) => {
          const streamEnded = metrics.eventStreamOpened();
          try {
            await streamChanges(stream, (poke) => deps.changes.subscribe({ ...user.user, poke }), heartbeatMs, access);
          } finally {
            streamEnded();
          }
        });
      })
  );
}
