/**
 * The two screens a signed-out person can open by link: `#/signup` (start a
 * company) and `#/invite/<token>` (choose a password). They sit in front of
 * the role apps, so App.tsx reads them before anything else.
 */
import { useSyncExternalStore } from 'react';

export type AccountRoute = { name: 'signup' } | { name: 'invite'; token: string } | null;

/** Reads `#/signup` or `#/invite/<token>`; anything else is null (the role apps' own routes). */
export function parseAccountRoute(hash: string): AccountRoute {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'signup' && parts.length === 1) return { name: 'signup' };
  if (parts[0] === 'invite' && parts[1] && parts.length === 2) {
    let token: string;
    try {
      token = decodeURIComponent(parts[1]);
    } catch {
      return null;
    }
    return token.trim() ? { name: 'invite', token: token.trim() } : null;
  }
  return null;
}

export const SIGNUP_HREF = '#/signup';

// The route is remembered here rather than re-read from the hash on every render: signing out
// (to accept an invite on a shared phone) clears the hash with `history.replaceState`, which fires
// no event, and the invite must survive that. A real navigation (hashchange) replaces it.
let current: AccountRoute | undefined;
const listeners = new Set<() => void>();

function readHash() {
  current = parseAccountRoute(window.location.hash);
}

function subscribe(listener: () => void) {
  const onHashChange = () => {
    readHash();
    listener();
  };
  listeners.add(listener);
  window.addEventListener('hashchange', onHashChange);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('hashchange', onHashChange);
  };
}

function getSnapshot(): AccountRoute {
  if (current === undefined) readHash();
  return current ?? null;
}

/** The sign-up or invite screen asked for by the link that opened the app, or null. */
export function useAccountRoute(): AccountRoute {
  return useSyncExternalStore(subscribe, getSnapshot, () => null);
}

/** Leaves the sign-up or invite screen (done or cancelled): the hash is cleared, the role app shows. */
export function leaveAccountRoute() {
  current = null;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  for (const listener of listeners) listener();
}
