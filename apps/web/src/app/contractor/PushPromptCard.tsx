import { useEffect, useState } from 'react';
import { useFieldsync, useSyncState } from '../../sync/react';
import { dismissPushCard, pushCardDismissed, pushState, turnOnPush } from '../shell/push-subscription';

type CardState = 'hidden' | 'offer' | 'working' | 'done' | { problem: string };

/**
 * "Get a notification when you get a new job": offered on the agenda once
 * the phone has synced (never on first load, and never by itself: browsers
 * only ask on a tap). Dismissing it is remembered on this device.
 */
export function PushPromptCard() {
  const client = useFieldsync();
  const { session, lastSyncedAt } = useSyncState();
  const userId = session?.user.id;
  const [state, setState] = useState<CardState>('hidden');

  useEffect(() => {
    if (!userId || lastSyncedAt === null || pushCardDismissed(userId)) return;
    let cancelled = false;
    void pushState().then((push) => {
      if (!cancelled && push === 'available') setState((current) => (current === 'hidden' ? 'offer' : current));
    });
    return () => {
      cancelled = true;
    };
  }, [userId, lastSyncedAt]);

  if (state === 'hidden' || !userId) return null;

  const dismiss = () => {
    dismissPushCard(userId);
    setState('hidden');
  };
  const turnOn = async () => {
    setState('working');
    const outcome = await turnOnPush(client);
    if (outcome.ok) {
      // Done for good on this device: the card need not come back.
      dismissPushCard(userId);
      setState('done');
    } else {
      setState({ problem: outcome.message });
    }
  };

  return (
    <aside className="ct-panel ct-push-card" aria-labelledby="ct-push-title" data-testid="push-prompt-card">
      <h2 id="ct-push-title" className="ct-push-card__title">
        {state === 'done' ? 'Notifications are on' : 'Get a notification when you get a new job'}
      </h2>
      <div role="status">
        {state === 'done' ? <p>This phone will tell you about new jobs, even when the app is closed.</p> : null}
        {typeof state === 'object' ? <p data-testid="push-prompt-problem">{state.problem}</p> : null}
      </div>
      {state === 'offer' || state === 'working' ? (
        <p className="fs-muted">Your phone asks first. You can turn them off again in its settings.</p>
      ) : null}
      <div className="ct-push-card__actions">
        {state === 'offer' || state === 'working' ? (
          <button
            type="button"
            className="fs-button fs-button--primary fs-button--small"
            onClick={() => void turnOn()}
            disabled={state === 'working'}
            data-testid="push-prompt-turn-on"
          >
            {state === 'working' ? 'Turning on…' : 'Turn on'}
          </button>
        ) : null}
        <button
          type="button"
          className="fs-button fs-button--secondary fs-button--small"
          onClick={dismiss}
          data-testid="push-prompt-dismiss"
        >
          {state === 'done' || typeof state === 'object' ? 'Close' : 'Not now'}
        </button>
      </div>
    </aside>
  );
}
