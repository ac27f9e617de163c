import {
  allowedAssignmentTransitions,
  isLiveAssignment,
  needsReassignment,
  type Role,
  reassignmentMessage,
} from '@fieldsync/domain';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { useOrganization } from '../shell/use-organization';
import { useContractors, useUsersById } from './dispatcher-data';
import { formatDateTime, formatTime, humanize } from './format';
import type { RunAction } from './JobStatusActions';
import { routeHref } from './route';
import { PendingMark } from './ui';

const EMPTY: never[] = [];

/** Who is (or was) booked on the job, with a cancel button where the state machine allows one. */
export function AssignmentsSection({ jobId, role, run }: { jobId: string; role: Role; run: RunAction }) {
  const client = useFieldsync();
  const { db } = client;
  const clock = useOrganization();
  const contractors = useContractors();
  const users = useUsersById();
  const assignments = useLiveQuery(() => db.assignments.where('jobId').equals(jobId).toArray(), [db, jobId], EMPTY);
  const contractorName = (id: string) => contractors.find((c) => c.id === id)?.name ?? 'Unknown contractor';
  const reassignment = (assignment: (typeof assignments)[number]) => {
    const contractor = contractors.find((c) => c.id === assignment.contractorId);
    const user = contractor?.userId ? users.get(contractor.userId) : undefined;
    const reason = needsReassignment(assignment, contractor, user);
    return reason && contractor ? reassignmentMessage(reason, contractor.name) : null;
  };
  const cancel = (id: string) =>
    run(() => client.mutate('assignment.setStatus', { id, to: 'cancelled', reason: 'Cancelled by dispatcher' }));

  return (
    <section className="dsp-box" aria-labelledby="dsp-assignments-h">
      <h2 id="dsp-assignments-h">Assignments</h2>
      {assignments.length === 0 ? (
        <p className="dsp-muted">
          Nobody yet. <a href={routeHref({ name: 'job', jobId, panel: 'assign' })}>See recommendations</a>
        </p>
      ) : (
        <ul className="dsp-list">
          {assignments.map((a) => {
            const flag = reassignment(a);
            return (
              <li key={a.id} className={isLiveAssignment(a.status) ? '' : 'dsp-dim'}>
                <div>
                  <strong>{contractorName(a.contractorId)}</strong>{' '}
                  <span className={`dsp-astatus dsp-astatus-${a.status}`}>{humanize(a.status)}</span>
                  <PendingMark pending={a._pendingSeq} />
                </div>
                {flag ? (
                  <p className="dsp-reassign" data-testid="needs-reassignment">
                    <span aria-hidden="true">⚠ </span>
                    {flag}. <a href={routeHref({ name: 'job', jobId, panel: 'assign' })}>See recommendations</a>
                  </p>
                ) : null}
                <div className="dsp-muted">
                  {formatDateTime(a.scheduledStart, clock)}–{formatTime(a.scheduledEnd, clock)}
                  {a.score !== null ? ` · score ${Math.round(a.score * 100)}` : ''}
                  {a.cancellationReason ? ` · ${a.cancellationReason}` : ''}
                </div>
                {allowedAssignmentTransitions(a.status, role, false).includes('cancelled') ? (
                  <button type="button" className="dsp-link-button" onClick={() => void cancel(a.id)}>
                    Cancel assignment
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
