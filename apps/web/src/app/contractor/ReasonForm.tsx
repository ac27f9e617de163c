import { type ReactNode, useId, useState } from 'react';

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
  const reasonId = useId();
  return (
    <form
      className="fs-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (reason.trim()) onSubmit(reason.trim());
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
        onChange={(event) => setReason(event.target.value)}
      />
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
