/**
 * The app proper: the sync engine (Dexie, zod, the protocol), the service
 * worker and every screen behind sign-in. Loaded by `main.tsx` right after the
 * first script, so a first visit's sign-in form never waits for it.
 */
// First, before any module builds a zod schema (see the file).
import './zod-jitless';
import { App } from './app/App';
import { disableServiceWorker, registerServiceWorker } from './app/shell/service-worker';
import { createFieldsyncClient } from './sync';
import { FieldsyncProvider } from './sync/react';

export const client = createFieldsyncClient({ baseUrl: '', dbName: 'fieldsync' });
client.start();

if (import.meta.env.PROD) {
  // The worker relays Background Sync wake-ups; the page's own engine does the sending.
  registerServiceWorker(() => void client.syncNow()).catch((error: unknown) => {
    console.warn('Service worker registration failed; the app still works online.', error);
  });
} else {
  // The dev server has no /sw.js; nothing to wait for.
  disableServiceWorker();
}

export function EngineRoot() {
  return (
    <FieldsyncProvider client={client}>
      <App />
    </FieldsyncProvider>
  );
}
