import { MIN_PASSWORD_LENGTH } from '@fieldsync/protocol';
import { type Ref, useEffect, useId, useState } from 'react';
import { errorIdOf } from './FormField';
import { describeStrength, estimateStrength, type PasswordStrength } from './password-strength';

/**
 * A password input with a Show toggle and, for a new password, a strength
 * meter that says weak / fair / good / strong in words (the bars only
 * repeat it). The estimator loads on first use; see password-strength.ts.
 */
export function PasswordField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** `new-password` shows the meter; `current-password` does not. */
  autoComplete: 'new-password' | 'current-password';
  error?: string | undefined;
  /** The person's name, email, company: a password made of them counts as weak. */
  userInputs?: string[];
  inputRef?: Ref<HTMLInputElement>;
  name?: string;
}) {
  const id = useId();
  const meterId = `${id}-meter`;
  const [shown, setShown] = useState(false);
  const isNew = props.autoComplete === 'new-password';
  const strength = usePasswordStrength(isNew ? props.value : '', props.userInputs);
  const described = [props.error ? errorIdOf(id) : null, isNew ? meterId : null].filter(Boolean).join(' ');

  return (
    <div className="fs-field">
      <label htmlFor={id}>{props.label}</label>
      <div className="fs-password">
        <input
          id={id}
          ref={props.inputRef}
          name={props.name}
          type={shown ? 'text' : 'password'}
          autoComplete={props.autoComplete}
          autoCapitalize="none"
          spellCheck={false}
          required
          minLength={isNew ? MIN_PASSWORD_LENGTH : undefined}
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={described || undefined}
        />
        <button
          type="button"
          className="fs-password__toggle"
          aria-pressed={shown}
          aria-controls={id}
          onClick={() => setShown((value) => !value)}
        >
          {shown ? 'Hide' : 'Show'}
          <span className="fs-sr-only"> password</span>
        </button>
      </div>
      {props.error ? (
        <p id={errorIdOf(id)} className="fs-error fs-field__error">
          {props.error}
        </p>
      ) : null}
      {isNew ? <StrengthMeter id={meterId} strength={strength} empty={props.value.length === 0} /> : null}
    </div>
  );
}

function StrengthMeter(props: { id: string; strength: PasswordStrength; empty: boolean }) {
  const { strength } = props;
  return (
    <div className="fs-meter" data-level={props.empty ? 'empty' : strength.level}>
      <div className="fs-meter__bars" aria-hidden="true">
        {[1, 2, 3, 4].map((bar) => (
          <span key={bar} className={bar <= strength.bars ? 'fs-meter__bar fs-meter__bar--on' : 'fs-meter__bar'} />
        ))}
      </div>
      <p id={props.id} className="fs-meter__text" aria-live="polite">
        {props.empty ? (
          `At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a strong password.`
        ) : (
          <>
            Strength: <strong>{strength.label}</strong>
            {strength.hint ? ` — ${strength.hint}` : null}
          </>
        )}
      </p>
    </div>
  );
}

/** The strength of `password`, judged by length at once and by the estimator when it has answered. */
function usePasswordStrength(password: string, userInputs: string[] = []): PasswordStrength {
  const [strength, setStrength] = useState(() => describeStrength(password.length, null));
  const inputsKey = userInputs.join('\n');
  useEffect(() => {
    let current = true;
    setStrength((previous) =>
      // Keep the estimator's last word while it thinks, unless the length alone already decides.
      password.length < MIN_PASSWORD_LENGTH || previous.level === 'too-short'
        ? describeStrength(password.length, null)
        : previous,
    );
    void estimateStrength(password, inputsKey ? inputsKey.split('\n') : []).then((next) => {
      if (current) setStrength(next);
    });
    return () => {
      current = false;
    };
  }, [password, inputsKey]);
  return strength;
}
