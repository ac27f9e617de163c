import { useEffect, useSyncExternalStore } from 'react';
import { useSyncState } from '../../sync/react';
import {
  acceptUpdate,
  checkForUpdate,
  dismissUpdate,
  getServiceWorkerState,
  subscribeServiceWorker,
} from './service-worker';

/**
 * Banners about the app itself: a new version is waiting (reload on the
 * person's say-so, never on its own), the server needs a newer app, or
 * another tab upgraded the local database. Each says that unsent changes are
 * kept: they live in IndexedDB, not in the page.
 */
export function UpdatePrompt() {
  const worker = useSyncExternalStore(subscribeServiceWorker, getServiceWorkerState, getServiceWorkerState);
  const { updateRequired, dbClosed } = useSyncState();

  useEffect(() => {
    if (updateRequired) checkForUpdate();
  }, [updateRequired]);

  if (dbClosed) {
    return (
      <div className="fs-banner" role="alert">
        <p>Fieldsync was updated in another tab. Reload to continue — your unsent changes are kept.</p>
        <button type="button" className="fs-button fs-button--primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
  if (worker.updateWaiting) {
    return (
      <div className="fs-banner" role="alert">
        <p>
          <strong>Update available — reload.</strong> Changes not sent yet are kept on this phone and sent after the
          reload.
        </p>
        <div className="fs-banner__actions">
          <button type="button" className="fs-button fs-button--primary" onClick={acceptUpdate}>
            Reload now
          </button>
          <button type="button" className="fs-button fs-button--secondary" onClick={dismissUpdate}>
            Later
          </button>
        </div>
      </div>
    );
  }
  if (updateRequired) {
    return (
      <div className="fs-banner" role="alert">
        <p>
          This version of the app is too old to sync. Getting the new version… Your changes are kept and will be sent
          after the update.
        </p>
      </div>
    );
  }
  return null;
}
