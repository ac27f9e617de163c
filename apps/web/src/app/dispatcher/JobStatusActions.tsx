import { allowedJobTransitions, type Job, type JobStatus, type Role } from '@fieldsync/domain';
import { useState } from 'react';
import { useFieldsync } from '../../sync/react';
import { JOB_STATUS_ACTION } from './format';

/** Runs a change and reports whether it went through (`useAction().run`). */
export type RunAction = (action: () => Promise<unknown>) => Promise<boolean>;

/** The job's status buttons, per the state machine for this role; cancelling asks for a reason first. */
export function JobStatusActions({ job, role, run }: { job: Job; role: Role; run: RunAction }) {
  const client = useFieldsync();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const transitions = allowedJobTransitions(job.status, role);

  const setStatus = async (to: JobStatus, reason?: string) => {
    const changed = await run(() =>
      client.mutate('job.setStatus', { jobId: job.id, to, ...(reason ? { reason } : {}) }),
    );
    if (!changed) return;
    setConfirmCancel(false);
    setCancelReason('');
  };

  return (
    <fieldset className="dsp-status-actions">
      <legend className="dsp-visually-hidden">Change status</legend>
      {transitions
        .filter((to) => to !== 'cancelled')
        .map((to) => (
          <button key={to} type="button" className="dsp-button" onClick={() => void setStatus(to)}>
            {job.status === 'completed' && to === 'in_progress' ? 'Reopen' : JOB_STATUS_ACTION[to]}
          </button>
        ))}
      {transitions.includes('cancelled') && !confirmCancel ? (
        <button type="button" className="dsp-button dsp-button-danger" onClick={() => setConfirmCancel(true)}>
          Cancel job…
        </button>
      ) : null}
      {confirmCancel ? (
        <form
          className="dsp-cancel-form"
          onSubmit={(event) => {
            event.preventDefault();
            void setStatus('cancelled', cancelReason.trim() || undefined);
          }}
        >
          <label>
            Reason (optional)
            <input value={cancelReason} onChange={(event) => setCancelReason(event.target.value)} />
          </label>
          <button type="submit" className="dsp-button dsp-button-danger">
            Confirm cancel
          </button>
          <button type="button" className="dsp-button" onClick={() => setConfirmCancel(false)}>
            Keep job
          </button>
        </form>
      ) : null}
      {transitions.length === 0 ? <span className="dsp-muted">No status changes from here.</span> : null}
    </fieldset>
  );
}
