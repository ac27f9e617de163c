import {
  MIN_SUPPORTED_PROTOCOL_VERSION,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type ProtocolSupport,
  protocolSupport,
} from '@fieldsync/protocol';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors';
import type { AppEnv } from './context';

const PROTOCOL_REFUSAL: Record<Exclude<ProtocolSupport, 'supported'>, (version: string) => string> = {
  too_old: (version) =>
    `This app speaks sync protocol ${version}; the server serves ${MIN_SUPPORTED_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}. Update the app.`,
  too_new: (version) =>
    `This app speaks sync protocol ${version}, newer than this server (${MIN_SUPPORTED_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}). Keep your changes and try again later.`,
  unreadable: () => `${PROTOCOL_HEADER} must be a protocol version number. Update the app.`,
};

/**
 * 426 `client_outdated` for an app whose protocol this server does not serve
 * (below `MIN_SUPPORTED_PROTOCOL_VERSION`, above `PROTOCOL_VERSION`, or not a
 * number), before anything is read or applied: the app keeps its outbox. A
 * request without the header (a script, a test) is served as current.
 */
export const requireProtocol = createMiddleware<AppEnv>(async (c, next) => {
  const version = c.req.header(PROTOCOL_HEADER);
  const support = version === undefined ? 'supported' : protocolSupport(version);
  if (support !== 'supported') throw new ApiError('client_outdated', PROTOCOL_REFUSAL[support](version ?? ''));
  await next();
});
