import { type InputHTMLAttributes, type ReactNode, type Ref, useId } from 'react';

/** The id of a field's error line, for `aria-describedby`. */
export const errorIdOf = (fieldId: string) => `${fieldId}-error`;

/**
 * A labelled text input for the account forms (sign-up, invite, password):
 * the label above, an optional hint, and the field's error right under it,
 * linked with `aria-describedby` and marked `aria-invalid`.
 */
export function TextField(
  props: {
    label: string;
    error?: string | undefined;
    hint?: ReactNode;
    inputRef?: Ref<HTMLInputElement>;
    /** More ids the input is described by (a strength meter). */
    describedBy?: string[];
    after?: ReactNode;
  } & Omit<InputHTMLAttributes<HTMLInputElement>, 'aria-describedby' | 'aria-invalid'>,
) {
  const { label, error, hint, inputRef, describedBy = [], after, id: givenId, ...input } = props;
  const ownId = useId();
  const id = givenId ?? ownId;
  const hintId = `${id}-hint`;
  const described = [error ? errorIdOf(id) : null, hint ? hintId : null, ...describedBy].filter(Boolean).join(' ');
  return (
    <div className="fs-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        {...input}
      />
      {error ? (
        <p id={errorIdOf(id)} className="fs-error fs-field__error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="fs-field__hint">
          {hint}
        </p>
      ) : null}
      {after}
    </div>
  );
}

/** Errors keyed by field, in the order the fields appear; `''` is the form as a whole. */
export type FieldErrors<F extends string> = Partial<Record<F | '', string>>;

/** The first field (in `order`) that has an error, to move focus to after a refused submit. */
export function firstErrorField<F extends string>(errors: FieldErrors<F>, order: readonly F[]): F | undefined {
  return order.find((field) => errors[field]);
}
