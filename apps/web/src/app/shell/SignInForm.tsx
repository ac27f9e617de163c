import { type FormEvent, useEffect, useId, useState } from 'react';
import { AuthError, PendingChangesError } from '../../sync/errors';
import { SIGNUP_HREF } from './account-route';

export interface SignInFormProps {
  /** Signs in; throws `AuthError` (wrong password, switched off …) or `PendingChangesError`. */
  signIn(email: string, password: string): Promise<void>;
  /** Whether the server takes sign-ups; a failure keeps the link (the sign-up screen explains). */
  loadSignupOpen(): Promise<boolean>;
  /** Shown above the form, e.g. why the session ended. */
  notice?: string | undefined;
  initialEmail?: string | undefined;
  /** Who must sign in for waiting changes to go out, for the `PendingChangesError` message. */
  previousEmail?: string | undefined;
  /** Offer "Start your company" (not when a session merely ended). */
  offerSignup?: boolean;
}

/**
 * Email and password sign-in, friendly to password managers (a real form
 * with `autocomplete` hints and a submit button). Needs nothing of the sync
 * engine to show: a first visit draws it with the first script, and the engine
 * is only awaited when the person presses "Sign in".
 */
export function SignInForm(props: SignInFormProps) {
  const formId = useId();
  const [email, setEmail] = useState(props.initialEmail ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [signupOpen, setSignupOpen] = useState(true);
  const { loadSignupOpen } = props;

  useEffect(() => {
    let current = true;
    loadSignupOpen().then(
      (open) => {
        if (current) setSignupOpen(open);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [loadSignupOpen]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.signIn(email.trim(), password);
    } catch (caught) {
      if (caught instanceof PendingChangesError) {
        setError(`${caught.message} Sign in as ${props.previousEmail ?? 'the previous person'} to send them.`);
      } else if (caught instanceof AuthError) {
        setError(caught.message);
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
      {props.notice ? (
        <p className="fs-notice" role="status">
          {props.notice}
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
      {signupOpen && (props.offerSignup ?? true) ? (
        <p className="fs-signin__switch">
          New to Fieldsync? <a href={SIGNUP_HREF}>Start your company</a>
        </p>
      ) : null}
    </main>
  );
}

/** `GET /api/config`'s `signupOpen`, without the sync engine (a first visit has not loaded it yet). */
export async function fetchSignupOpen(): Promise<boolean> {
  const response = await fetch('/api/config');
  if (!response.ok) return true;
  const body = (await response.json()) as { signupOpen?: unknown };
  return body.signupOpen !== false;
}
