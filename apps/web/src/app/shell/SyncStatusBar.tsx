import { useState, useSyncExternalStore } from 'react';
import { describeUploads } from '../../sync';
import { useFieldsync, useSyncState } from '../../sync/react';
import { downloadText, exportFileName } from './download';
import { formatTime, plural } from './format';
import { SyncSheet } from './SyncSheet';
import { getServiceWorkerState, subscribeServiceWorker } from './service-worker';
import { useOrganization } from './use-organization';

/**
 * Always-visible sync status: online or offline, changes not sent yet, last
 * successful sync, a spinner while syncing, and "Ready for offline" once the
 * local copy is complete. Rejected or conflicting changes, and photos or
 * files still uploading (or refused), add a button that opens the SyncSheet. A polite live region announces what matters (going
 * offline, pending count), not every sync tick.
 */
export function SyncStatusBar() {
  const state = useSyncState();
  const clock = useOrganization();
  const worker = useSyncExternalStore(subscribeServiceWorker, getServiceWorkerState, getServiceWorkerState);
  const [sheetOpen, setSheetOpen] = useState(false);

  const signedIn = state.session !== null && !state.needsSignIn;
  // Complete local copy: signed in, a full pull has finished (lastSyncedAt is set only then) and the
  // app shell is cached by a controlling worker (where the browser has service workers).
  const ready = signedIn && state.lastSyncedAt !== null && (worker.controlled || !worker.supported);
  const problems = state.rejected.length;
  const uploading = state.uploads.count > 0 || state.uploads.failed > 0;
  const pendingText =
    state.pendingCount === 0 ? 'All changes sent' : `${plural(state.pendingCount, 'change')} not sent yet`;
  const announcement = `${state.online ? 'Online' : 'Offline'}. ${pendingText}.${problems ? ` ${plural(problems, 'change')} not accepted.` : ''}${ready ? ' Ready for offline.' : ''}`;

  return (
    <div className="fs-status" data-online={state.online} data-pending-count={state.pendingCount}>
      <p className="fs-sr-only" role="status" aria-live="polite">
        {announcement}
      </p>
      <div className="fs-status__row" aria-hidden="true">
        <span className={`fs-chip ${state.online ? 'fs-chip--online' : 'fs-chip--offline'}`}>
          <span className="fs-dot" />
          {state.online ? 'Online' : 'Offline'}
        </span>
        <span
          className={`fs-chip ${state.pendingCount ? 'fs-chip--pending' : 'fs-chip--quiet'}`}
          data-testid="pending-count"
        >
          {state.pendingCount ? `${state.pendingCount} not sent` : 'All sent'}
        </span>
        <span className="fs-status__sync">
          {state.syncing ? (
            <>
              <span className="fs-spinner" />
              {/* A first sync fills the screens table by table: say why some columns are still blank. */}
              {state.lastSyncedAt ? 'Syncing…' : 'First sync…'}
            </>
          ) : state.lastSyncedAt ? (
            `Last synced ${formatTime(state.lastSyncedAt, clock)}`
          ) : (
            'Not synced yet'
          )}
        </span>
        {ready ? <span className="fs-chip fs-chip--ready">✓ Ready for offline</span> : null}
      </div>
      {state.accountDisabled ? <AccountDisabledNotice pendingCount={state.pendingCount} /> : null}
      {problems ? (
        <button type="button" className="fs-status__problems" onClick={() => setSheetOpen(true)}>
          ⚠ {plural(problems, 'change')} not accepted — view
        </button>
      ) : null}
      {uploading ? (
        <button
          type="button"
          // Waiting files are news, not trouble: only refused ones look like an error.
          className={state.uploads.failed > 0 ? 'fs-status__problems' : 'fs-status__uploads'}
          data-testid="upload-status"
          onClick={() => setSheetOpen(true)}
        >
          {state.uploads.failed > 0 ? '⚠ ' : '⬆ '}
          {describeUploads(state.uploads, { online: state.online })} — view
        </button>
      ) : null}
      <SyncSheet open={sheetOpen} onClose={() => setSheetOpen(false)} />
    </div>
  );
}

/**
 * The company's name for the removal notice: the synced `organizations` row
 * when there is one (it follows a rename), else what the session said at sign-in.
 */
function useCompanyName(): string | undefined {
  const { organization } = useOrganization();
  const { session } = useSyncState();
  return organization?.name || session?.user.organizationName || undefined;
}

/**
 * The server switched this account off (the company removed the person):
 * nothing more will sync. The changes still on the device are the only
 * copy, so offer them as a file for the office.
 */
function AccountDisabledNotice({ pendingCount }: { pendingCount: number }) {
  const client = useFieldsync();
  const companyName = useCompanyName();
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="fs-banner fs-banner--danger" role="alert">
      <p>
        <strong>Your access to {companyName ?? 'your company'} was removed.</strong>{' '}
        {pendingCount
          ? 'Your unsent changes are kept on this phone: export them and give the file to the office.'
          : 'Everything you changed had already been sent.'}
      </p>
      {pendingCount ? (
        <button
          type="button"
          className="fs-button fs-button--primary"
          onClick={() =>
            void client
              .exportPending()
              .then((text) => {
                downloadText(text, exportFileName('fieldsync-unsent'));
                setSaved(true);
                setError(null);
              })
              .catch(() => setError('The file could not be saved. Try again.'))
          }
        >
          {saved ? 'Exported ✓ — export again' : `Export ${plural(pendingCount, 'unsent change')}`}
        </button>
      ) : null}
      {error ? <p className="fs-error">{error}</p> : null}
    </div>
  );
}
