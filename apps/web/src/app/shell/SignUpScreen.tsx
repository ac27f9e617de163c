import { MIN_PASSWORD_LENGTH } from '@fieldsync/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { AuthError, PendingChangesError } from '../../sync';
import { useFieldsync, useSyncState } from '../../sync/react';
import { AccountScreen, FormBanner } from './AccountScreen';
import { fieldErrorsFromMessage } from './account-errors';
import { leaveAccountRoute } from './account-route';
import { type FieldErrors, firstErrorField, TextField } from './FormField';
import { PasswordField } from './PasswordField';
import { TimeZonePicker } from './TimeZonePicker';
import { browserTimeZone, listTimeZones, resolveTimeZone } from './time-zones';

type Field = 'companyName' | 'timeZone' | 'adminName' | 'email' | 'password';
const FIELD_ORDER: readonly Field[] = ['companyName', 'timeZone', 'adminName', 'email', 'password'];

const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What the form says about a refused field, whether the phone or the server refused it. */
const FIELD_WORDS: Record<Field, string> = {
  companyName: "Enter your company's name.",
  timeZone: 'Choose a time zone from the list, such as America/Denver.',
  adminName: 'Enter your name.',
  email: 'Enter an email address such as ada@example.com.',
  password: `Use at least ${MIN_PASSWORD_LENGTH} characters.`,
};

/**
 * "Start your company": a new company with the person as its admin. On
 * success the session is stored, so App shows the office screens and the
 * first sync starts. Refusals are shown next to their field (an email that
 * is taken) or above the form (no connection, too many attempts, sign-up
 * turned off).
 */
export function SignUpScreen() {
  const client = useFieldsync();
  const state = useSyncState();
  const zones = listTimeZones();
  const [values, setValues] = useState<Record<Field, string>>(() => ({
    companyName: '',
    timeZone: browserTimeZone(),
    adminName: '',
    email: '',
    password: '',
  }));
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const refs = {
    companyName: useRef<HTMLInputElement>(null),
    timeZone: useRef<HTMLInputElement>(null),
    adminName: useRef<HTMLInputElement>(null),
    email: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
  };
  const bannerRef = useRef<HTMLDivElement>(null);

  // After a refused submit, once the errors are on screen: focus the first one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the trigger; the refs are stable.
  useEffect(() => {
    if (attempt === 0) return;
    const field = firstErrorField(errors, FIELD_ORDER);
    if (field) refs[field].current?.focus();
    else if (errors['']) bannerRef.current?.focus();
  }, [attempt]);

  const set = (field: Field) => (value: string) => {
    setValues((previous) => ({ ...previous, [field]: value }));
    if (errors[field]) setErrors((previous) => ({ ...previous, [field]: undefined }));
  };

  function check(): { errors: FieldErrors<Field>; timeZone: string | null } {
    const timeZone = resolveTimeZone(values.timeZone, zones);
    const found: FieldErrors<Field> = {};
    if (!values.companyName.trim()) found.companyName = FIELD_WORDS.companyName;
    if (!timeZone) found.timeZone = FIELD_WORDS.timeZone;
    if (!values.adminName.trim()) found.adminName = FIELD_WORDS.adminName;
    if (!LOOKS_LIKE_EMAIL.test(values.email.trim())) found.email = FIELD_WORDS.email;
    if (values.password.length < MIN_PASSWORD_LENGTH) found.password = FIELD_WORDS.password;
    return { errors: found, timeZone };
  }

  function refuse(found: FieldErrors<Field>) {
    setErrors(found);
    setAttempt((count) => count + 1);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const checked = check();
    if (Object.keys(checked.errors).length > 0 || !checked.timeZone) return refuse(checked.errors);
    setBusy(true);
    setErrors({});
    try {
      await client.signUp({
        companyName: values.companyName.trim(),
        timeZone: checked.timeZone,
        adminName: values.adminName.trim(),
        email: values.email.trim(),
        password: values.password,
      });
      // Signed in: App now shows the office; the hash still says #/signup, so clear it.
      leaveAccountRoute();
    } catch (caught) {
      setBusy(false);
      refuse(errorsFor(caught, state.session?.user.email));
    }
  }

  const userInputs = [values.companyName, values.adminName, values.email];
  return (
    <AccountScreen title="Start your company">
      <p className="fs-signin__lead">
        Set up Fieldsync for your company. You will be its admin and can invite your office and your contractors next.
      </p>
      <form className="fs-form" noValidate onSubmit={(event) => void submit(event)} aria-busy={busy}>
        <FormBanner message={errors['']} bannerRef={bannerRef} />
        <TextField
          label="Company name"
          name="organization"
          autoComplete="organization"
          required
          value={values.companyName}
          onChange={(event) => set('companyName')(event.target.value)}
          error={errors.companyName}
          inputRef={refs.companyName}
        />
        <TimeZonePicker
          value={values.timeZone}
          onChange={set('timeZone')}
          error={errors.timeZone}
          inputRef={refs.timeZone}
        />
        <TextField
          label="Your name"
          name="name"
          autoComplete="name"
          required
          value={values.adminName}
          onChange={(event) => set('adminName')(event.target.value)}
          error={errors.adminName}
          inputRef={refs.adminName}
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          inputMode="email"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={values.email}
          onChange={(event) => set('email')(event.target.value)}
          error={errors.email}
          inputRef={refs.email}
        />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set('password')}
          error={errors.password}
          userInputs={userInputs}
          inputRef={refs.password}
        />
        <button type="submit" className="fs-button fs-button--primary fs-button--block" disabled={busy}>
          {busy ? 'Starting your company…' : 'Start your company'}
        </button>
      </form>
      <p className="fs-signin__switch">
        Already use Fieldsync? <a href="#/">Sign in</a>
      </p>
    </AccountScreen>
  );
}

/** Where a refused sign-up's reason belongs: next to a field, or above the form (`''`). */
function errorsFor(caught: unknown, previousEmail: string | undefined): FieldErrors<Field> {
  if (caught instanceof PendingChangesError) {
    return {
      '': `Your company was created, but this device still holds ${caught.count === 1 ? 'a change' : `${caught.count} changes`} of ${previousEmail ?? 'the person signed in before'} not sent yet. Sign in as them to send ${caught.count === 1 ? 'it' : 'them'}, then sign out and sign in with your new email.`,
    };
  }
  if (!(caught instanceof AuthError)) return { '': 'Something went wrong. Try again.' };
  if (caught.code === 'email_taken') return { email: caught.message };
  if (caught.code === 'invalid_body') {
    const fields = fieldErrorsFromMessage<Field>(caught.message, FIELD_WORDS);
    if (Object.keys(fields).length > 0) return fields;
  }
  return { '': caught.message };
}
