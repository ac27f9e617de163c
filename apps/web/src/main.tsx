// First, before any module builds a zod schema (see the file).
import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { disableServiceWorker, registerServiceWorker } from './app/shell/service-worker';
import { createFieldsyncClient } from './sync';
import { FieldsyncProvider } from './sync/react';
import './app/styles.css';

const client = createFieldsyncClient({ baseUrl: '', dbName: 'fieldsync' });
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

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <FieldsyncProvider client={client}>
      <App />
    </FieldsyncProvider>
  </StrictMode>,
);
