/**
 * The browser's hints that now is a good time to sync: back `online`, the
 * page became visible, and the service worker's Background Sync message
 * (`{ type: 'fieldsync-sync' }`). Each listener is added only where the
 * environment has it (Node has none). Nothing here throws.
 */
export interface BrowserTriggerHandlers {
  online(): void;
  offline(): void;
  visible(): void;
  backgroundSync(): void;
}

/** Adds the listeners; returns a function that removes them all. */
export function listenForSyncTriggers(nav: Navigator | undefined, handlers: BrowserTriggerHandlers): () => void {
  const removers: Array<() => void> = [];
  const listen = (target: EventTarget, type: string, handler: (event: Event) => void) => {
    target.addEventListener(type, handler);
    removers.push(() => target.removeEventListener(type, handler));
  };
  if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
    listen(window, 'online', () => handlers.online());
    listen(window, 'offline', () => handlers.offline());
  }
  if (typeof document !== 'undefined' && typeof document.addEventListener === 'function') {
    listen(document, 'visibilitychange', () => {
      if (document.visibilityState === 'visible') handlers.visible();
    });
  }
  if (nav?.serviceWorker && typeof nav.serviceWorker.addEventListener === 'function') {
    listen(nav.serviceWorker, 'message', (event) => {
      const data = (event as MessageEvent).data as { type?: unknown } | null;
      if (data?.type === 'fieldsync-sync') handlers.backgroundSync();
    });
  }
  return () => {
    for (const remove of removers.splice(0)) remove();
  };
}

/** One more trigger where the browser has it (Chromium): the service worker nudges us when back online. */
export function requestBackgroundSync(nav: Navigator | undefined): void {
  const container = nav?.serviceWorker;
  if (!container) return;
  void container.ready
    .then((registration) => {
      const sync = (registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
        .sync;
      return sync?.register('fieldsync-sync');
    })
    .catch(() => undefined);
}
