import { useState } from 'react';
import { PendingChangesError } from '../../sync';
import { useFieldsync } from '../../sync/react';
import { downloadText, exportFileName } from './download';
import { plural } from './format';
import { forgetPushSubscription } from './push-subscription';
import { Sheet } from './Sheet';

/**
 * Signs out. When changes are not sent yet it warns, offers to download them
 * (a JSON file the office can replay), and only then signs out on request.
 */
export function SignOutButton(props: { className?: string }) {
  const client = useFieldsync();
  const [pending, setPending] = useState<number | null>(null);
  const [downloaded, setDownloaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signOut(force: boolean) {
    setBusy(true);
    setError(null);
    try {
      // Only when signing out will go ahead (nothing unsent, or forced): this needs the session still.
      if (force || (await client.db.outbox.count()) === 0) await forgetPushSubscription(client);
      await client.signOut({ force });
      setPending(null);
      // The next person starts on their home screen, not on a job of the last one.
      history.replaceState(null, '', window.location.pathname + window.location.search);
    } catch (caught) {
      if (caught instanceof PendingChangesError) setPending(caught.count);
      else setError(caught instanceof Error ? caught.message : 'Could not sign out.');
    } finally {
      setBusy(false);
    }
  }

  async function download() {
    try {
      downloadText(await client.exportPending(), exportFileName('fieldsync-unsent'));
      setDownloaded(true);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not save the file.');
    }
  }

  return (
    <>
      <button
        type="button"
        className={props.className ?? 'fs-button fs-button--ghost'}
        disabled={busy}
        onClick={() => void signOut(false)}
      >
        Sign out
      </button>
      {error && pending === null ? (
        <p role="alert" className="fs-error">
          {error}
        </p>
      ) : null}
      <Sheet open={pending !== null} onClose={() => setPending(null)} title="Changes not sent yet">
        <p>
          {plural(pending ?? 0, 'change')} on this phone {pending === 1 ? 'has' : 'have'} not reached the office yet.
          Signing out deletes {pending === 1 ? 'it' : 'them'} from this phone.
        </p>
        <p>Best: connect to the internet and wait until everything is sent. Or save them to a file first.</p>
        {error ? (
          <p role="alert" className="fs-error">
            {error}
          </p>
        ) : null}
        <div className="fs-stack">
          <button type="button" className="fs-button fs-button--primary" onClick={() => void download()}>
            {downloaded ? 'Downloaded ✓ — download again' : 'Download unsent changes'}
          </button>
          <button
            type="button"
            className="fs-button fs-button--danger"
            disabled={busy}
            onClick={() => void signOut(true)}
          >
            {downloaded ? 'Sign out' : 'Sign out and lose them'}
          </button>
          <button type="button" className="fs-button fs-button--secondary" onClick={() => setPending(null)}>
            Stay signed in
          </button>
        </div>
      </Sheet>
    </>
  );
}
