import {
  allowedAssignmentTransitions,
  type JobStatus,
  needsReassignment,
  type Role,
  reassignmentMessage,
  TEXT_LIMITS,
} from '@fieldsync/domain';
import { type FormEvent, useId, useRef, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { localDayKey } from '../shell/format';
import { useOrganization } from '../shell/use-organization';
import { useContractors, useUsersById } from './dispatcher-data';
import { type CompanyClock, formatDateTime, formatLocalDate, formatTime, humanize } from './format';
import type { RunAction } from './JobStatusActions';
import { routeHref } from './route';
import { PendingMark } from './ui';

const EMPTY: never[] = [];

/** A completed or cancelled job takes no new contractors. */
export function jobTakesAssignments(status: JobStatus): boolean {
  return status !== 'completed' && status !== 'cancelled';
}

/** `Tue, Nov 25 at 9:00 AM`: the visit as the dispatcher confirms it. */
function visitWords(start: string, clock: CompanyClock): string {
  return `${formatLocalDate(localDayKey(start, clock))} at ${formatTime(start, clock)}`;
}

/**
 * Who is (or was) booked on the job. A live booking can be cancelled with a
 * reason (kept on the assignment and shown to the contractor) after a
 * confirmation; completed work cannot be cancelled.
 */
export function AssignmentsSection({
  jobId,
  jobStatus,
  role,
  run,
}: {
  jobId: string;
  jobStatus: JobStatus;
  role: Role;
  run: RunAction;
}) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const contractors = useContractors();
  const users = useUsersById();
  const assignments = useLiveQuery(() => db.assignments.where('jobId').equals(jobId).toArray(), [db, jobId], EMPTY);
  const [cancelling, setCancelling] = useState<string | null>(null);
  const takesAssignments = jobTakesAssignments(jobStatus);
  const contractorName = (id: string) => contractors.find((c) => c.id === id)?.name ?? 'Unknown contractor';
  const reassignment = (assignment: (typeof assignments)[number]) => {
    const contractor = contractors.find((c) => c.id === assignment.contractorId);
    const user = contractor?.userId ? users.get(contractor.userId) : undefined;
    const reason = needsReassignment(assignment, contractor, user);
    return reason && contractor ? reassignmentMessage(reason, contractor.name) : null;
  };
  const recommendations = takesAssignments ? (
    <a href={routeHref({ name: 'job', jobId, panel: 'assign' })}>See recommendations</a>
  ) : null;

  return (
    <section className="dsp-box" aria-labelledby="dsp-assignments-h">
      <h2 id="dsp-assignments-h">Assignments</h2>
      {assignments.length === 0 ? (
        <p className="dsp-muted">
          {takesAssignments ? (
            <>Nobody yet. {recommendations}</>
          ) : (
            `Nobody was booked on this ${humanize(jobStatus).toLowerCase()} job.`
          )}
        </p>
      ) : (
        <ul className="dsp-list">
          {assignments.map((a) => {
            const flag = reassignment(a);
            const name = contractorName(a.contractorId);
            const canCancel = allowedAssignmentTransitions(a.status, role, false).includes('cancelled');
            return (
              <li key={a.id} className={a.status === 'declined' || a.status === 'cancelled' ? 'dsp-dim' : ''}>
                <div>
                  <strong>{name}</strong>{' '}
                  <span className={`dsp-astatus dsp-astatus-${a.status}`}>{humanize(a.status)}</span>
                  <PendingMark pending={a._pendingSeq} />
                </div>
                {flag ? (
                  <p className="dsp-reassign" data-testid="needs-reassignment">
                    <span aria-hidden="true">⚠ </span>
                    {flag}.{recommendations ? <> {recommendations}</> : null}
                  </p>
                ) : null}
                <div className="dsp-muted">
                  {formatDateTime(a.scheduledStart, clock)}–{formatTime(a.scheduledEnd, clock)}
                  {a.score !== null ? ` · score ${Math.round(a.score * 100)}` : ''}
                </div>
                {a.cancellationReason ? (
                  <div className="dsp-muted">
                    {a.status === 'declined' ? 'Declined' : 'Cancelled'}: {a.cancellationReason}
                  </div>
                ) : null}
                {canCancel && cancelling === a.id ? (
                  <CancelAssignmentForm
                    assignment={a}
                    name={name}
                    visit={visitWords(a.scheduledStart, clock)}
                    run={run}
                    onDone={() => setCancelling(null)}
                  />
                ) : canCancel ? (
                  <button type="button" className="dsp-link-button" onClick={() => setCancelling(a.id)}>
                    Cancel assignment…
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** The reason (required: the contractor reads it) and the question, before anything is cancelled. */
function CancelAssignmentForm({
  assignment,
  name,
  visit,
  run,
  onDone,
}: {
  assignment: LocalRow<'assignments'>;
  name: string;
  visit: string;
  run: RunAction;
  onDone: () => void;
}) {
  const client = useFieldsync();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const ids = useId();
  const trimmed = reason.trim();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!trimmed) {
      setMissing(true);
      input.current?.focus();
      return;
    }
    const done = await run(() =>
      client.mutate('assignment.setStatus', { id: assignment.id, to: 'cancelled', reason: trimmed }),
    );
    if (done) onDone();
  };

  return (
    // No accessible name on the form: the question mentions "Reason", and the field alone should answer to that label.
    <form className="dsp-cancel-assignment" onSubmit={submit} noValidate>
      <label htmlFor={`${ids}-reason`}>Reason</label>
      <input
        ref={input}
        id={`${ids}-reason`}
        // biome-ignore lint/a11y/noAutofocus: the person just asked to cancel; the reason is the next thing to type.
        autoFocus
        required
        maxLength={TEXT_LIMITS.reason}
        value={reason}
        aria-invalid={missing && !trimmed}
        aria-describedby={`${ids}-hint${missing && !trimmed ? ` ${ids}-error` : ''}`}
        onChange={(event) => setReason(event.target.value)}
      />
      <p id={`${ids}-hint`} className="dsp-hint">
        {name} sees this reason.
      </p>
      {missing && !trimmed ? (
        <p id={`${ids}-error`} className="dsp-error" role="alert">
          Give a reason for cancelling; {name} will see it.
        </p>
      ) : null}
      <p className="dsp-cancel-question">
        Cancel {name}'s visit on {visit}? Reason: {trimmed || '…'}
      </p>
      <div className="dsp-form-actions">
        <button type="submit" className="dsp-button dsp-button-danger">
          Confirm cancel
        </button>
        <button type="button" className="dsp-button" onClick={onDone}>
          Keep it
        </button>
      </div>
    </form>
  );
}
