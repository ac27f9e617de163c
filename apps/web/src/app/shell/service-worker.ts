/**
 * Service worker registration (workbox-window) and the little state the
 * shell shows about it: is an update waiting, does a worker control the page
 * (the app shell is cached, so the app opens with no network).
 *
 * Updates never activate on their own: the person accepts the prompt, the
 * waiting worker is told to skip waiting, and the page reloads once the new
 * worker controls it. Pending changes live in IndexedDB, so the reload loses
 * nothing.
 */
import { Workbox } from 'workbox-window';

/** The tag the page registers and the worker answers with `{ type: 'fieldsync-sync' }`. */
export const BACKGROUND_SYNC_TAG = 'fieldsync-sync';

export interface ServiceWorkerState {
  /** A new version is installed and waiting for the person's say-so. */
  updateWaiting: boolean;
  /** A worker controls this page: the app shell opens offline. */
  controlled: boolean;
  /** Browser has no service workers (or this is a dev build): nothing to show. */
  supported: boolean;
}

let state: ServiceWorkerState = {
  updateWaiting: false,
  controlled: typeof navigator !== 'undefined' && Boolean(navigator.serviceWorker?.controller),
  supported: typeof navigator !== 'undefined' && 'serviceWorker' in navigator,
};
const listeners = new Set<() => void>();
let workbox: Workbox | undefined;
let acceptedUpdate = false;

function setState(patch: Partial<ServiceWorkerState>) {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

export function subscribeServiceWorker(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getServiceWorkerState(): ServiceWorkerState {
  return state;
}

/**
 * Registers `/sw.js` and wires the update prompt. `onSyncMessage` runs when
 * the worker relays a Background Sync event.
 */
export async function registerServiceWorker(onSyncMessage: () => void): Promise<void> {
  if (!('serviceWorker' in navigator)) {
    setState({ supported: false });
    return;
  }
  const wb = new Workbox('/sw.js');
  workbox = wb;
  wb.addEventListener('waiting', () => setState({ updateWaiting: true }));
  wb.addEventListener('controlling', () => {
    setState({ controlled: true });
    // Only an update the person accepted reloads; the first install just starts controlling.
    if (acceptedUpdate) window.location.reload();
  });
  navigator.serviceWorker.addEventListener('controllerchange', () => setState({ controlled: true }));
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: unknown; url?: unknown } | null;
    if (data?.type === BACKGROUND_SYNC_TAG) onSyncMessage();
    // A tapped notification asks this page to open its job.
    if (data?.type === 'fieldsync-open' && typeof data.url === 'string') openAppUrl(data.url);
  });
  await wb.register();
  setState({ controlled: Boolean(navigator.serviceWorker.controller) });
}

/** Goes to an address of this app (a tapped notification's job); anything else is ignored. */
function openAppUrl(url: string): void {
  const target = new URL(url, window.location.origin);
  if (target.origin !== window.location.origin) return;
  window.location.hash = target.hash;
}

/** The person accepted the update: activate the waiting worker; the page reloads once it controls. */
export function acceptUpdate(): void {
  if (!workbox) return;
  acceptedUpdate = true;
  workbox.messageSkipWaiting();
}

/** The person put the update off until later. */
export function dismissUpdate(): void {
  setState({ updateWaiting: false });
}

/** Asks the browser to check for a new app version now (after the server said this one is too old). */
export function checkForUpdate(): void {
  void workbox?.update();
}

/**
 * Asks for a Background Sync so the browser wakes the worker when the
 * connection returns, even if the page is in the background. Chromium only;
 * elsewhere the page's own sync loop does the work anyway.
 */
export async function requestBackgroundSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  const sync = (
    registration as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined
  )?.sync;
  if (!sync) return;
  try {
    await sync.register(BACKGROUND_SYNC_TAG);
  } catch {
    // Permission denied or unsupported in this context: the page's own loop still syncs.
  }
}

/** No worker in this build (the dev server): the shell stops waiting for one. */
export function disableServiceWorker(): void {
  setState({ supported: false });
}
