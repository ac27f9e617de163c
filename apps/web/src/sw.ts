/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell so the app opens with no
 * network, serves index.html for every navigation except the API, and turns
 * Background Sync events into a nudge for the page's own sync loop.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

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

self.addEventListener('sync', (event) => {
  const syncEvent = event as SyncEvent;
  if (syncEvent.tag !== 'fieldsync-sync') return;
  syncEvent.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((windows) => {
      for (const client of windows) client.postMessage({ type: 'fieldsync-sync' });
    }),
  );
});
