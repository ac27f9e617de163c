import { useCallback } from 'react';
import { useFieldsync, useSyncState } from '../../sync/react';
import { plural } from './format';
import { SignInForm } from './SignInForm';

/**
 * The sign-in form inside the running app: also shown when the session ended
 * while changes were still waiting — they are kept and sent once the person
 * signs in again.
 */
export function SignInScreen() {
  const client = useFieldsync();
  const state = useSyncState();
  const loadSignupOpen = useCallback(() => client.fetchConfig().then((config) => config.signupOpen), [client]);
  const notice = state.needsSignIn
    ? `Your session has ended. Sign in again to keep syncing.${
        state.pendingCount
          ? ` Your ${plural(state.pendingCount, 'change')} not sent yet ${state.pendingCount === 1 ? 'is' : 'are'} kept on this phone and will be sent after you sign in.`
          : ''
      }`
    : undefined;
  return (
    <SignInForm
      signIn={async (email, password) => {
        await client.signIn(email, password);
      }}
      loadSignupOpen={loadSignupOpen}
      notice={notice}
      initialEmail={state.session?.user.email}
      previousEmail={state.session?.user.email}
      offerSignup={!state.needsSignIn}
    />
  );
}
