/**
 * Hash routing (`#/jobs/:id`, `#/day/YYYY-MM-DD`): enough for a handful of
 * screens, needs no server support, and works from the service worker's
 * cached index.html with no network.
 */
import { useEffect, useSyncExternalStore } from 'react';

export type Route =
  | { name: 'agenda'; day?: string }
  | { name: 'job'; jobId: string }
  | { name: 'notifications' }
  | { name: 'shopping' }
  /** A new estimate for the customer of job `jobId` (for that job, or new work). */
  | { name: 'estimate-new'; jobId: string }
  | { name: 'estimate'; estimateId: string }
  | { name: 'estimate-print'; estimateId: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a location hash into a route; anything unknown is the agenda. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'jobs' && parts[1]) return { name: 'job', jobId: parts[1] };
  if (parts[0] === 'notifications') return { name: 'notifications' };
  if (parts[0] === 'shopping') return { name: 'shopping' };
  if (parts[0] === 'estimates' && parts[1] === 'new') {
    return parts[2] ? { name: 'estimate-new', jobId: parts[2] } : { name: 'agenda' };
  }
  if (parts[0] === 'estimates' && parts[1]) {
    return parts[2] === 'print'
      ? { name: 'estimate-print', estimateId: parts[1] }
      : { name: 'estimate', estimateId: parts[1] };
  }
  if (parts[0] === 'day' && parts[1] && DAY.test(parts[1])) return { name: 'agenda', day: parts[1] };
  return { name: 'agenda' };
}

export const jobHref = (jobId: string) => `#/jobs/${encodeURIComponent(jobId)}`;
export const dayHref = (day: string | undefined) => (day ? `#/day/${day}` : '#/');
export const shoppingHref = '#/shopping';
export const newEstimateHref = (jobId: string) => `#/estimates/new/${encodeURIComponent(jobId)}`;
export const estimateHref = (estimateId: string) => `#/estimates/${encodeURIComponent(estimateId)}`;
export const estimatePrintHref = (estimateId: string) => `#/estimates/${encodeURIComponent(estimateId)}/print`;

function subscribe(listener: () => void) {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}
const getHash = () => window.location.hash;

/** The current route; re-renders on hash changes. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, getHash, () => '');
  return parseRoute(hash);
}

/**
 * After a screen change: scroll to the top and move focus to the screen's
 * heading, so screen-reader users hear where they are (SPAs don't do that).
 */
export function useScreenFocus(key: string, headingRef: { current: HTMLElement | null }) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the trigger: it changes with the screen.
  useEffect(() => {
    window.scrollTo(0, 0);
    headingRef.current?.focus({ preventScroll: true });
  }, [key, headingRef]);
}
