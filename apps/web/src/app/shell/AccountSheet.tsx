import { MIN_PASSWORD_LENGTH } from '@fieldsync/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { AuthError } from '../../sync';
import { useFieldsync, useSyncState } from '../../sync/react';
import { FormBanner } from './AccountScreen';
import { PasswordField } from './PasswordField';
import { Sheet } from './Sheet';

type Field = 'current' | 'next';

/**
 * The signed-in person's account: who they are and a form to change their
 * password. The server signs every other device of theirs out; this one
 * carries on with the fresh session it answers.
 */
export function AccountSheet(props: { open: boolean; onClose: () => void }) {
  const { session } = useSyncState();
  const user = session?.user;
  return (
    <Sheet open={props.open} onClose={props.onClose} title="Your account">
      {user ? (
        <dl className="fs-account">
          <dt>Name</dt>
          <dd>{user.name}</dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          {user.organizationName ? (
            <>
              <dt>Company</dt>
              <dd>{user.organizationName}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <ChangePasswordForm onDone={props.onClose} />
    </Sheet>
  );
}

function ChangePasswordForm(props: { onDone: () => void }) {
  const client = useFieldsync();
  const state = useSyncState();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field | '', string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(false);
  const refs = { current: useRef<HTMLInputElement>(null), next: useRef<HTMLInputElement>(null) };
  const bannerRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLButtonElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the trigger; the refs are stable.
  useEffect(() => {
    if (attempt === 0) return;
    if (errors.current) refs.current.current?.focus();
    else if (errors.next) refs.next.current?.focus();
    else bannerRef.current?.focus();
  }, [attempt]);

  useEffect(() => {
    if (changed) doneRef.current?.focus();
  }, [changed]);

  function refuse(found: Partial<Record<Field | '', string>>) {
    setErrors(found);
    setAttempt((count) => count + 1);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: Partial<Record<Field | '', string>> = {};
    if (!current) found.current = 'Enter your current password.';
    if (next.length < MIN_PASSWORD_LENGTH) found.next = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    else if (next === current) found.next = 'Choose a password different from your current one.';
    if (Object.keys(found).length > 0) return refuse(found);
    setBusy(true);
    setErrors({});
    try {
      await client.changePassword(current, next);
      setChanged(true);
      setCurrent('');
      setNext('');
    } catch (caught) {
      if (caught instanceof AuthError && caught.code === 'invalid_credentials') refuse({ current: caught.message });
      else if (caught instanceof AuthError && caught.code === 'invalid_body') {
        refuse({ next: `Use at least ${MIN_PASSWORD_LENGTH} characters.` });
      } else refuse({ '': caught instanceof AuthError ? caught.message : 'Something went wrong. Try again.' });
    } finally {
      setBusy(false);
    }
  }

  if (changed) {
    return (
      <div className="fs-stack">
        <p className="fs-success" role="status">
          Your password is changed. Other devices signed in as you will ask for the new password.
        </p>
        <button type="button" ref={doneRef} className="fs-button fs-button--primary" onClick={props.onDone}>
          Done
        </button>
      </div>
    );
  }

  const user = state.session?.user;
  return (
    <form className="fs-form" noValidate onSubmit={(event) => void submit(event)} aria-busy={busy}>
      <h3 className="fs-form__title">Change password</h3>
      <FormBanner message={errors['']} bannerRef={bannerRef} />
      {/* For password managers: which account this new password belongs to. */}
      <input type="text" name="username" autoComplete="username" value={user?.email ?? ''} readOnly hidden />
      <PasswordField
        label="Current password"
        name="current-password"
        autoComplete="current-password"
        value={current}
        onChange={(value) => {
          setCurrent(value);
          setErrors((previous) => ({ ...previous, current: undefined }));
        }}
        error={errors.current}
        inputRef={refs.current}
      />
      <PasswordField
        label="New password"
        name="new-password"
        autoComplete="new-password"
        value={next}
        onChange={(value) => {
          setNext(value);
          setErrors((previous) => ({ ...previous, next: undefined }));
        }}
        error={errors.next}
        userInputs={[user?.name ?? '', user?.email ?? '', user?.organizationName ?? '']}
        inputRef={refs.next}
      />
      <button type="submit" className="fs-button fs-button--primary fs-button--block" disabled={busy}>
        {busy ? 'Changing your password…' : 'Change password'}
      </button>
    </form>
  );
}
