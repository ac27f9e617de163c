import { type ReactNode, useId, useState } from 'react';
import { argsProblems } from '../shell/validate-args';

/** Only the reason is checked here; the move itself is checked by `mutate` against the local job. */
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Asks for a reason before a move the office needs explained (decline, on
 * hold, waiting on materials). The reason is required and sent trimmed.
 */
export function ReasonForm({
  question,
  submitLabel,
  cancelLabel,
  danger = false,
  busy,
  onSubmit,
  onCancel,
}: {
  question: ReactNode;
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
          setProblem('Write a reason first.');
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
        <span>{question}</span>
      </label>
      <textarea
        id={reasonId}
        className="fs-input"
        rows={3}
        required
        value={reason}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${reasonId}-problem` : undefined}
        onChange={(event) => setReason(event.target.value)}
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
          disabled={busy || !reason.trim()}
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
