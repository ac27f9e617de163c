import { useId, useState } from 'react';
import { useFieldsync } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { ReasonForm } from './ReasonForm';
import type { LocalAssignment } from './use-contractor-data';

/**
 * Confirm or decline a job the office proposed. Declining asks why, so the
 * office can re-plan; once the decline is saved on the phone, `onDeclined`
 * takes the person back to their day (the job leaves the phone at the next sync).
 */
export function AssignmentActions({ assignment, onDeclined }: { assignment: LocalAssignment; onDeclined: () => void }) {
  const client = useFieldsync();
  const { run, error, busy } = useAction();
  const [declining, setDeclining] = useState(false);
  const titleId = useId();

  async function decline(reason: string) {
    const saved = await run(() => client.mutate('assignment.setStatus', { id: assignment.id, to: 'declined', reason }));
    if (saved) onDeclined();
  }

  if (assignment.status !== 'pending') return null;
  return (
    <section className="ct-panel ct-panel--attention" aria-labelledby={`${titleId}-title`}>
      <h2 id={`${titleId}-title`}>The office proposed this job to you</h2>
      {declining ? (
        <ReasonForm
          question="Why can't you take it? (the office sees this)"
          missingReason="Write why you can't take this job, so the office can plan around it."
          submitLabel="Decline with this reason"
          cancelLabel="Back"
          danger
          busy={busy}
          onSubmit={(reason) => void decline(reason)}
          onCancel={() => setDeclining(false)}
        />
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
