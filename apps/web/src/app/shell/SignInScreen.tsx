import { type FormEvent, useEffect, useId, useState } from 'react';
import { AuthError, PendingChangesError } from '../../sync';
import { useFieldsync, useSyncState } from '../../sync/react';
import { SIGNUP_HREF } from './account-route';
import { plural } from './format';

/**
 * Whether to offer "Start your company": hidden only once the server said
 * sign-up is closed. Offline or before it answers the link shows, and the
 * sign-up screen explains a refusal if there is one.
 */
function useSignupOpen(): boolean {
  const client = useFieldsync();
  const [open, setOpen] = useState(true);
  useEffect(() => {
    let current = true;
    client.fetchConfig().then(
      (config) => {
        if (current) setOpen(config.signupOpen);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client]);
  return open;
}

/**
 * Email and password sign-in, friendly to password managers (a real form
 * with `autocomplete` hints and a submit button). Also shown when the
 * session ended while changes were still waiting: they are kept and sent
 * once the person signs in again.
 */
export function SignInScreen() {
  const client = useFieldsync();
  const state = useSyncState();
  const formId = useId();
  const [email, setEmail] = useState(state.session?.user.email ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signupOpen = useSignupOpen();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await client.signIn(email.trim(), password);
    } catch (caught) {
      if (caught instanceof AuthError || caught instanceof PendingChangesError) {
        setError(
          caught instanceof PendingChangesError
            ? `${caught.message} Sign in as ${state.session?.user.email ?? 'the previous person'} to send them.`
            : caught.message,
        );
      } else {
        setError('Something went wrong. Try again.');
      }
      setBusy(false);
    }
  }

  const errorId = `${formId}-error`;
  return (
    <main className="fs-signin">
      <div className="fs-signin__brand">
        <img src="/icons/icon-192.png" alt="" width="56" height="56" />
        <h1>Fieldsync</h1>
      </div>
      {state.needsSignIn ? (
        <p className="fs-notice" role="status">
          Your session has ended. Sign in again to keep syncing.
          {state.pendingCount
            ? ` Your ${plural(state.pendingCount, 'change')} not sent yet ${state.pendingCount === 1 ? 'is' : 'are'} kept on this phone and will be sent after you sign in.`
            : ''}
        </p>
      ) : null}
      <form className="fs-form" onSubmit={(event) => void submit(event)} aria-describedby={error ? errorId : undefined}>
        <label className="fs-field">
          <span>Email</span>
          <input
            name="email"
            type="email"
            inputMode="email"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-invalid={error ? true : undefined}
          />
        </label>
        <label className="fs-field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-invalid={error ? true : undefined}
          />
        </label>
        {error ? (
          <p id={errorId} className="fs-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="fs-button fs-button--primary fs-button--block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {signupOpen && !state.needsSignIn ? (
        <p className="fs-signin__switch">
          New to Fieldsync? <a href={SIGNUP_HREF}>Start your company</a>
        </p>
      ) : null}
    </main>
  );
}
