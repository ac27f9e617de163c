import { allowedJobTransitions, type JobStatus, missingSignature } from '@fieldsync/domain';
import { useId, useState } from 'react';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { JOB_STATUS_LABEL } from '../shell/labels';
import { useAction } from '../shell/use-action';
import { ReasonForm } from './ReasonForm';
import type { LocalJob } from './use-contractor-data';
import './attachments.css';

/** Moves that need a word for the office: what the form asks, what an empty answer is told, and its submit button. */
const REASON_FORMS: Partial<Record<JobStatus, { question: string; missingReason: string; submitLabel: string }>> = {
  on_hold: {
    question: 'Why is the job on hold? (the office sees this)',
    missingReason: 'Write why the job is on hold, so the office knows.',
    submitLabel: 'Put on hold with this reason',
  },
  waiting_on_materials: {
    question: 'Which materials are you waiting for? (the office sees this)',
    missingReason: 'Write which materials you are waiting for, so the office can chase them.',
    submitLabel: 'Mark as waiting on materials',
  },
};

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
 * for a reason first; their buttons end in "…" to say a form follows. A job
 * that needs the customer's signature says so above "Mark completed" until
 * it has one, with the way to get it (`onGetSignature`), so nobody has to
 * be refused to find out.
 */
export function StatusActions({ job, onGetSignature }: { job: LocalJob; onGetSignature?: () => void }) {
  const client = useFieldsync();
  const { run, error, busy } = useAction();
  const [asking, setAsking] = useState<JobStatus | null>(null);
  const moves = allowedJobTransitions(job.status, 'contractor');
  const form = asking ? REASON_FORMS[asking] : undefined;
  const id = useId();
  // The same rule the local applier (and the server) enforces; it only reads the job's attachments when it matters.
  const needsSignature = useLiveQuery(
    async () =>
      missingSignature(
        job,
        'completed',
        job.requiresSignature ? await client.db.attachments.where('jobId').equals(job.id).toArray() : [],
      ),
    [job.id, job.requiresSignature],
    false,
  );
  const completeBlocked = needsSignature && moves.includes('completed');

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
      {asking && form ? (
        <ReasonForm
          question={form.question}
          missingReason={form.missingReason}
          submitLabel={form.submitLabel}
          cancelLabel="Cancel"
          busy={busy}
          onSubmit={(reason) => void move(asking, reason)}
          onCancel={() => setAsking(null)}
        />
      ) : (
        <div className="ct-actions__buttons">
          {completeBlocked ? (
            <div className="ct-signature-needed" id={`${id}-signature`}>
              <p className="ct-signature-needed__title">Needs the customer’s signature</p>
              <p>This job can be marked completed once the customer has signed for the work.</p>
              {onGetSignature ? (
                <button
                  type="button"
                  className="fs-button fs-button--primary fs-button--block"
                  onClick={onGetSignature}
                >
                  Get signature
                </button>
              ) : null}
            </div>
          ) : null}
          {moves.map((to) => {
            const blocked = to === 'completed' && completeBlocked;
            return (
              <button
                key={to}
                type="button"
                className={`fs-button fs-button--block ${
                  (to === 'completed' && !blocked) || to === 'in_progress'
                    ? 'fs-button--primary'
                    : 'fs-button--secondary'
                }${blocked ? ' ct-button--blocked' : ''}`}
                disabled={busy}
                // Still focusable and tappable: a tap says why (the applier's refusal), the note above says it first.
                aria-disabled={blocked ? true : undefined}
                aria-describedby={blocked ? `${id}-signature` : undefined}
                onClick={() => (REASON_FORMS[to] ? setAsking(to) : void move(to))}
              >
                {actionLabel(job.status, to)}
                {REASON_FORMS[to] ? '…' : ''}
              </button>
            );
          })}
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
