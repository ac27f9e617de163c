/**
 * The caller's address, for the sign-in and sign-up limits. Behind reverse
 * proxies (a load balancer) the socket's address is the proxy's, so every
 * caller would share one limit; each trusted proxy appends the address it saw
 * to `X-Forwarded-For`, and the one `trustedProxies` hops from the right is
 * the caller as the outermost trusted proxy saw it. Entries further left were
 * written by the caller and prove nothing.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The address `trustedProxies` hops back in an `X-Forwarded-For` list, or undefined when there is none to trust. */
export function forwardedAddress(header: string | undefined, trustedProxies: number): string | undefined {
  if (!header || trustedProxies <= 0) return undefined;
  const hops = header
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  if (hops.length === 0) return undefined;
  return hops[Math.max(0, hops.length - trustedProxies)];
}

/** The caller's address; `unknown` when not served by Node (tests via app.request) and no proxy says. */
export function clientAddress(c: Context, trustedProxies: number): string {
  const forwarded = forwardedAddress(c.req.header('x-forwarded-for'), trustedProxies);
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
