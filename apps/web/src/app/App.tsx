import { lazy, Suspense, useEffect } from 'react';
import { useFieldsync, useLiveQuery, useSyncState } from '../sync/react';
import { useAccountRoute } from './shell/account-route';
import { SignInScreen } from './shell/SignInScreen';
import { Splash } from './shell/Splash';
import { requestBackgroundSync } from './shell/service-worker';

// Only the sign-in screen comes with the first load; every other screen is a chunk of its own,
// fetched when it is first shown (and precached by the service worker for offline use).
// The office screens are big and desktop-only: phones never download them.
const DispatcherApp = lazy(() =>
  import('./dispatcher/DispatcherApp').then((module) => ({ default: module.DispatcherApp })),
);
const ContractorApp = lazy(() =>
  import('./contractor/ContractorApp').then((module) => ({ default: module.ContractorApp })),
);
const SignUpScreen = lazy(() => import('./shell/SignUpScreen').then((module) => ({ default: module.SignUpScreen })));
const AcceptInviteScreen = lazy(() =>
  import('./shell/AcceptInviteScreen').then((module) => ({ default: module.AcceptInviteScreen })),
);

/**
 * Whether a session is stored on this device: undefined while IndexedDB is
 * read. The sync state starts with `session: null` before its first read, so
 * on a cold start this keeps the sign-in screen from flashing up.
 */
function useStoredSessionKnown(): boolean | undefined {
  const { db } = useFieldsync();
  return useLiveQuery(async () => Boolean(await db.meta.get('session')), []);
}

/**
 * When changes start waiting, ask for a Background Sync so they go out even
 * if the page is closed. Once per wait, not on every change counted: a busy
 * offline day queues thousands.
 */
function useBackgroundSyncWhilePending(pendingCount: number) {
  const waiting = pendingCount > 0;
  useEffect(() => {
    if (waiting) void requestBackgroundSync();
  }, [waiting]);
}

/**
 * Picks the screen for whoever is here: an invite link (`#/invite/<token>`,
 * whoever is signed in), sign-in or "Start your company" (`#/signup`) when
 * nobody is, else the contractor's phone app or the office.
 */
export function App() {
  const state = useSyncState();
  const stored = useStoredSessionKnown();
  const accountRoute = useAccountRoute();
  useBackgroundSyncWhilePending(state.pendingCount);

  if (stored === undefined || (stored && !state.session)) return <Splash text="Opening Fieldsync…" />;
  if (accountRoute?.name === 'invite') {
    return (
      <Suspense fallback={<Splash text="Opening your invite…" />}>
        <AcceptInviteScreen key={accountRoute.token} token={accountRoute.token} />
      </Suspense>
    );
  }
  if (!state.session || state.needsSignIn) {
    if (accountRoute?.name !== 'signup') return <SignInScreen />;
    return (
      <Suspense fallback={<Splash text="Opening sign-up…" />}>
        <SignUpScreen />
      </Suspense>
    );
  }
  if (state.session.user.role === 'contractor') {
    return (
      <Suspense fallback={<Splash text="Opening your day…" />}>
        <ContractorApp />
      </Suspense>
    );
  }
  return (
    <Suspense fallback={<Splash text="Loading the office screens…" />}>
      <DispatcherApp />
    </Suspense>
  );
}
