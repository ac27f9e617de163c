/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell so the app opens with no
 * network, serves index.html for every navigation except the API, turns
 * Background Sync events into a nudge for the page's own sync loop, and
 * shows Web Push alerts (opening the job they are about on a tap).
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { ownUrl, readPushPayload } from './push-payload';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

precacheAndRoute(self.__WB_MANIFEST);
// The first install takes over the open page at once, so it works offline without a reload. A later
// version still waits (no skipWaiting here) until the person accepts the update prompt.
clientsClaim();
cleanupOutdatedCaches();
// API responses are never cached: the app's own IndexedDB is the offline copy.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//] }));

self.addEventListener('message', (event) => {
  // Only on the person's say-so (the "Update available" prompt), never on its own.
  if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

interface SyncEvent extends ExtendableEvent {
  tag: string;
}

const SYNC_TAG = 'fieldsync-sync';

/** Tells every open page to sync now (the page's `browser-triggers.ts` listens for this message). */
async function nudgePagesToSync(): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) client.postMessage({ type: SYNC_TAG });
}

self.addEventListener('sync', (event) => {
  const syncEvent = event as SyncEvent;
  if (syncEvent.tag !== SYNC_TAG) return;
  syncEvent.waitUntil(nudgePagesToSync());
});

/** Background Sync where the browser has it (Chromium), so the data behind the alert arrives even if no page is open. */
async function registerBackgroundSync(): Promise<void> {
  const sync = (self.registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
    .sync;
  await sync?.register(SYNC_TAG).catch(() => undefined);
}

self.addEventListener('push', (event) => {
  let text: string | null = null;
  try {
    text = event.data?.text() ?? null;
  } catch {
    text = null;
  }
  const alert = readPushPayload(text, self.location.origin);
  event.waitUntil(
    Promise.all([
      self.registration.showNotification(alert.title, {
        body: alert.body,
        ...(alert.tag ? { tag: alert.tag } : {}),
        data: { url: alert.url },
      }),
      nudgePagesToSync(),
      registerBackgroundSync(),
    ]),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data as { url?: unknown } | null;
  const origin = self.location.origin;
  const url = (typeof data?.url === 'string' ? ownUrl(data.url, origin) : undefined) ?? new URL('/', origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const existing = windows.find((client) => new URL(client.url).origin === origin);
      if (existing) {
        await existing.focus().catch(() => undefined);
        // The open page goes to the job itself (`service-worker.ts` listens): only its hash changes, so it
        // keeps its state and its sync loop, where navigating the window would reload it.
        existing.postMessage({ type: 'fieldsync-open', url });
        return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});
