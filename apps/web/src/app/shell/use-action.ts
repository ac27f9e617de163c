import { useCallback, useState } from 'react';
import { MutationRefusedError } from '../../sync';

/** What a person reads when a change failed for a reason that is not theirs to fix (a bug, a full disk). */
const NOT_SAVED: Record<'phone' | 'computer', string> = {
  phone: 'That change could not be saved on this phone. Try again.',
  computer: 'That change could not be saved on this computer. Try again.',
};

/**
 * Runs a local change and keeps the reason it was refused, in plain words,
 * for the screen to show next to the control. Nothing is queued when a
 * change is refused, so there is nothing to undo. Any other failure shows a
 * plain sentence naming the `device`, never the error's own text.
 */
export function useAction(device: 'phone' | 'computer' = 'phone') {
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<Readonly<Record<string, string>>>({});
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (action: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      setError(null);
      setIssues({});
      try {
        await action();
        return true;
      } catch (caught) {
        setError(caught instanceof MutationRefusedError ? caught.message : NOT_SAVED[device]);
        // Per field, so a form can show the sentence next to the field it is about.
        if (caught instanceof MutationRefusedError) setIssues(caught.issues);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [device],
  );
  return { run, error, issues, busy, clearError: () => setError(null) };
}
