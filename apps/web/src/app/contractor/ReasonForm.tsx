import { type ReactNode, useId, useState } from 'react';
import { argsProblems } from '../shell/validate-args';

/** Only the reason is checked here; the move itself is checked by `mutate` against the local job. */
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Asks for a reason before a move the office needs explained (decline, on
 * hold, waiting on materials). The reason is required and sent trimmed; an
 * empty one is answered with `missingReason`, in plain words, next to the
 * field (the submit button stays pressable so the person learns why).
 */
export function ReasonForm({
  question,
  missingReason,
  submitLabel,
  cancelLabel,
  danger = false,
  busy,
  onSubmit,
  onCancel,
}: {
  question: ReactNode;
  /** What to say when the reason is left empty, e.g. "Write why you can't take this job." */
  missingReason: string;
  submitLabel: string;
  cancelLabel: string;
  danger?: boolean;
  busy: boolean;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const reasonId = useId();
  return (
    <form
      className="fs-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const trimmed = reason.trim();
        if (!trimmed) {
          setProblem(missingReason);
          return;
        }
        // The reason field's rule from the catalogue (length, characters the server cannot store).
        const found = argsProblems('job.setStatus', {
          jobId: PLACEHOLDER_ID,
          from: 'open',
          to: 'open',
          reason: trimmed,
        });
        setProblem(found?.reason ?? null);
        if (!found?.reason) onSubmit(trimmed);
      }}
    >
      <label className="fs-field" htmlFor={reasonId}>
        <span>
          {question} <span className="fs-muted">(required)</span>
        </span>
      </label>
      <textarea
        id={reasonId}
        className="fs-input"
        rows={3}
        required
        value={reason}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${reasonId}-problem` : undefined}
        onChange={(event) => {
          setReason(event.target.value);
          if (problem && event.target.value.trim()) setProblem(null);
        }}
      />
      {problem ? (
        <p id={`${reasonId}-problem`} className="fs-error">
          {problem}
        </p>
      ) : null}
      <div className="fs-row">
        <button
          type="submit"
          className={`fs-button ${danger ? 'fs-button--danger' : 'fs-button--primary'}`}
          disabled={busy}
        >
          {submitLabel}
        </button>
        <button type="button" className="fs-button fs-button--secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </form>
  );
}
