import { MIN_PASSWORD_LENGTH } from '@fieldsync/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { AuthError, PendingChangesError } from '../../sync';
import { useFieldsync, useSyncState } from '../../sync/react';
import { AccountScreen, FormBanner } from './AccountScreen';
import { fieldErrorsFromMessage } from './account-errors';
import { leaveAccountRoute } from './account-route';
import { plural } from './format';
import { PasswordField } from './PasswordField';
import { SignOutButton } from './SignOutButton';

/**
 * An invite (or password reset) link, `#/invite/<token>`: the person chooses
 * a password and is signed in; App then shows their home (the phone agenda
 * for contractors, the board for the office) and the first sync starts.
 * When someone else is signed in on this device it says so and offers to
 * sign them out first, through the usual sign-out (which warns about
 * changes not sent yet).
 */
export function AcceptInviteScreen(props: { token: string }) {
  const client = useFieldsync();
  const state = useSyncState();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [banner, setBanner] = useState<{ message: string; linkDead?: boolean } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const bannerRef = useRef<HTMLDivElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the trigger; the refs are stable.
  useEffect(() => {
    if (attempt === 0) return;
    if (fieldError) passwordRef.current?.focus();
    else bannerRef.current?.focus();
  }, [attempt]);

  // While submitting, the new session lands before this screen is left: do not flash the notice below.
  const someoneSignedIn = state.session !== null && !state.needsSignIn && !busy;
  if (someoneSignedIn && state.session) {
    const { user } = state.session;
    return (
      <AccountScreen title="Choose a password">
        <div className="fs-notice" role="status">
          <p>
            <strong>
              {user.name} ({user.email})
            </strong>{' '}
            is signed in on this device. This invite is for someone else's account, or a new password for yours: sign
            out first to use it.
          </p>
          {state.pendingCount > 0 ? (
            <p>
              {plural(state.pendingCount, 'change')} of theirs {state.pendingCount === 1 ? 'has' : 'have'} not been sent
              yet. Signing out will ask what to do with {state.pendingCount === 1 ? 'it' : 'them'}.
            </p>
          ) : null}
        </div>
        <div className="fs-stack">
          <SignOutButton className="fs-button fs-button--primary fs-button--block" />
          <button type="button" className="fs-button fs-button--secondary fs-button--block" onClick={leaveAccountRoute}>
            Stay signed in as {user.name}
          </button>
        </div>
      </AccountScreen>
    );
  }

  function refuse(next: { field?: string; banner?: { message: string; linkDead?: boolean } }) {
    setFieldError(next.field);
    setBanner(next.banner ?? null);
    setAttempt((count) => count + 1);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (password.length < MIN_PASSWORD_LENGTH) {
      return refuse({ field: `Use at least ${MIN_PASSWORD_LENGTH} characters.` });
    }
    setBusy(true);
    setFieldError(undefined);
    setBanner(null);
    try {
      await client.acceptInvite(props.token, password);
      leaveAccountRoute();
    } catch (caught) {
      setBusy(false);
      if (caught instanceof PendingChangesError) {
        refuse({
          banner: {
            message: `Your password is set, but this device still holds ${plural(caught.count, 'change')} of ${state.session?.user.email ?? 'the person signed in before'} not sent yet. Sign in as them to send ${caught.count === 1 ? 'it' : 'them'}, then sign out and sign in with your email and new password.`,
            linkDead: true,
          },
        });
      } else if (caught instanceof AuthError && caught.code === 'invalid_body') {
        const fields = fieldErrorsFromMessage<'password'>(caught.message, {
          password: `Use at least ${MIN_PASSWORD_LENGTH} characters.`,
        });
        if (fields.password) refuse({ field: fields.password });
        else refuse({ banner: { message: caught.message } });
      } else if (caught instanceof AuthError) {
        refuse({ banner: { message: caught.message, linkDead: caught.code === 'invalid_invite' } });
      } else {
        refuse({ banner: { message: 'Something went wrong. Try again.' } });
      }
    }
  }

  return (
    <AccountScreen title="Choose a password">
      <p className="fs-signin__lead">
        Welcome to Fieldsync. Choose a password for your account; you will sign in with your email and this password.
      </p>
      {state.needsSignIn && state.pendingCount > 0 ? (
        <p className="fs-notice" role="status">
          This device still holds {plural(state.pendingCount, 'change')} of{' '}
          {state.session?.user.email ?? 'the person signed in before'} not sent yet.
        </p>
      ) : null}
      {banner?.linkDead ? (
        // The token is spent (or never was): another try cannot work, so offer sign-in instead of the form.
        <div className="fs-stack">
          <FormBanner message={banner.message} bannerRef={bannerRef} />
          <a href="#/" className="fs-button fs-button--secondary fs-button--block">
            Go to sign-in
          </a>
        </div>
      ) : (
        <form className="fs-form" noValidate onSubmit={(event) => void submit(event)} aria-busy={busy}>
          <FormBanner message={banner?.message} bannerRef={bannerRef} />
          <PasswordField
            label="Password"
            name="password"
            autoComplete="new-password"
            value={password}
            onChange={(value) => {
              setPassword(value);
              setFieldError(undefined);
            }}
            error={fieldError}
            inputRef={passwordRef}
          />
          <button type="submit" className="fs-button fs-button--primary fs-button--block" disabled={busy}>
            {busy ? 'Setting your password…' : 'Set password and sign in'}
          </button>
        </form>
      )}
    </AccountScreen>
  );
}
