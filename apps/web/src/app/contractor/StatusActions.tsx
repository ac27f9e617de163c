import { allowedJobTransitions, type JobStatus } from '@fieldsync/domain';
import { useState } from 'react';
import { useFieldsync } from '../../sync/react';
import { JOB_STATUS_LABEL } from '../shell/labels';
import { useAction } from '../shell/use-action';
import { ReasonForm } from './ReasonForm';
import type { LocalJob } from './use-contractor-data';

/** Moves that need a word for the office. */
const NEEDS_REASON: ReadonlySet<JobStatus> = new Set(['on_hold', 'waiting_on_materials']);

function actionLabel(from: JobStatus, to: JobStatus): string {
  switch (to) {
    case 'in_progress':
      return from === 'scheduled' ? 'Start job' : 'Resume work';
    case 'waiting_on_materials':
      return 'Waiting on materials';
    case 'on_hold':
      return 'Put on hold';
    case 'completed':
      return 'Mark completed';
    default:
      return `Move to ${JOB_STATUS_LABEL[to]}`;
  }
}

/**
 * The status moves a contractor may make from the job's current status (the
 * same state machine the server runs). On hold and waiting on materials ask
 * for a reason first.
 */
export function StatusActions({ job }: { job: LocalJob }) {
  const client = useFieldsync();
  const { run, error, busy } = useAction();
  const [asking, setAsking] = useState<JobStatus | null>(null);
  const moves = allowedJobTransitions(job.status, 'contractor');

  async function move(to: JobStatus, why?: string) {
    const ok = await run(() => client.mutate('job.setStatus', { jobId: job.id, to, ...(why ? { reason: why } : {}) }));
    if (ok) setAsking(null);
  }

  if (moves.length === 0) {
    return (
      <p className="fs-muted">
        {job.status === 'cancelled'
          ? 'The office cancelled this job. Nothing more to do.'
          : job.status === 'completed'
            ? 'Completed. Only the office can reopen it.'
            : 'No status change available.'}
      </p>
    );
  }

  return (
    <div className="ct-actions">
      {asking ? (
        <ReasonForm
          question={`${asking === 'on_hold' ? 'Why is the job on hold?' : 'Which materials are you waiting for?'} (the office sees this)`}
          submitLabel={actionLabel(job.status, asking)}
          cancelLabel="Cancel"
          busy={busy}
          onSubmit={(reason) => void move(asking, reason)}
          onCancel={() => setAsking(null)}
        />
      ) : (
        <div className="ct-actions__buttons">
          {moves.map((to) => (
            <button
              key={to}
              type="button"
              className={`fs-button fs-button--block ${to === 'completed' || to === 'in_progress' ? 'fs-button--primary' : 'fs-button--secondary'}`}
              disabled={busy}
              onClick={() => (NEEDS_REASON.has(to) ? setAsking(to) : void move(to))}
            >
              {actionLabel(job.status, to)}
            </button>
          ))}
        </div>
      )}
      {error ? (
        <p className="fs-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
