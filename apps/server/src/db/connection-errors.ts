/**
 * Tells a database that cannot be reached from a query that failed on its
 * own merits. Only the former makes the server answer `503 db_unavailable`
 * and probe until the database is back.
 */

/** postgres.js's own codes for a connection that failed, closed or was never made. */
const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);

/** Socket and DNS failures Node reports while connecting to or talking with the server. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** The server is shutting down, crashed, or is still starting (SQLSTATE 57P01–57P03). */
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03']);

/**
 * Whether the error, or any error it wraps (drizzle's `DrizzleQueryError`
 * keeps the driver's error as `cause`; Node's connection attempts to several
 * addresses end in an `AggregateError`), says the database is unreachable:
 * SQLSTATE class 08, a shutdown state, or a socket-level failure.
 */
export function isConnectionError(error: unknown): boolean {
  const pending: unknown[] = [error];
  // Bounded, in case of a cause cycle.
  for (let seen = 0; pending.length > 0 && seen < 16; seen++) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null) continue;
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && isConnectionCode(code)) return true;
    if (cause !== undefined) pending.push(cause);
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return false;
}

function isConnectionCode(code: string): boolean {
  return (
    DRIVER_CODES.has(code) ||
    SOCKET_CODES.has(code) ||
    SHUTDOWN_STATES.has(code) ||
    (code.length === 5 && code.startsWith('08'))
  );
}
