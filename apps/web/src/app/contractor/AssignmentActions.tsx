import { useId, useState } from 'react';
import { useFieldsync } from '../../sync/react';
import { useAction } from './use-action';
import type { LocalAssignment } from './use-contractor-data';

/** Confirm or decline a job the office proposed. Declining asks why, so the office can re-plan. */
export function AssignmentActions({ assignment }: { assignment: LocalAssignment }) {
  const client = useFieldsync();
  const { run, error, busy } = useAction();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = useId();

  if (assignment.status !== 'pending') return null;
  return (
    <section className="ct-panel ct-panel--attention" aria-labelledby={`${reasonId}-title`}>
      <h2 id={`${reasonId}-title`}>The office proposed this job to you</h2>
      {declining ? (
        <form
          className="fs-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (!reason.trim()) return;
            void run(() =>
              client.mutate('assignment.setStatus', { id: assignment.id, to: 'declined', reason: reason.trim() }),
            );
          }}
        >
          <label className="fs-field" htmlFor={reasonId}>
            <span>Why can't you take it?</span>
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
            <button type="submit" className="fs-button fs-button--danger" disabled={busy || !reason.trim()}>
              Decline job
            </button>
            <button type="button" className="fs-button fs-button--secondary" onClick={() => setDeclining(false)}>
              Back
            </button>
          </div>
        </form>
      ) : (
        <div className="fs-row">
          <button
            type="button"
            className="fs-button fs-button--primary"
            disabled={busy}
            onClick={() =>
              void run(() => client.mutate('assignment.setStatus', { id: assignment.id, to: 'confirmed' }))
            }
          >
            Confirm
          </button>
          <button type="button" className="fs-button fs-button--secondary" onClick={() => setDeclining(true)}>
            Decline…
          </button>
        </div>
      )}
      {error ? (
        <p className="fs-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
