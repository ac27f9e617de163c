import type { RejectedChange } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { formatDateTime, plural } from './format';
import { describeChange } from './labels';
import { Sheet } from './Sheet';

/** The job a queued or rejected change was about, when it is still on this device. */
function useJobTitleOf(change: RejectedChange): string | undefined {
  const { db } = useFieldsync();
  return useLiveQuery(async () => {
    const args = (change.args ?? {}) as Record<string, unknown>;
    let jobId = typeof args.jobId === 'string' ? args.jobId : undefined;
    const id = typeof args.id === 'string' ? args.id : undefined;
    if (!jobId && id && change.name.startsWith('material.')) jobId = (await db.materials.get(id))?.jobId;
    if (!jobId && id && change.name.startsWith('assignment.')) jobId = (await db.assignments.get(id))?.jobId;
    if (!jobId) return undefined;
    const job = await db.jobs.get(jobId);
    return job ? `${job.title} · ${job.jobNumber}` : undefined;
  }, [change.name, change.args]);
}

function RejectedItem({ change }: { change: RejectedChange }) {
  const client = useFieldsync();
  const jobTitle = useJobTitleOf(change);
  return (
    <li className="fs-rejected">
      <p className="fs-rejected__what">
        <strong>{describeChange(change.name, change.args)}</strong>
        {change.code === 'conflict' ? <span className="fs-chip fs-chip--pending">Conflict</span> : null}
      </p>
      {jobTitle ? <p className="fs-rejected__job">{jobTitle}</p> : null}
      <p className="fs-rejected__why">{change.message}</p>
      <div className="fs-rejected__foot">
        <span className="fs-muted">{formatDateTime(change.at)}</span>
        {change.id !== undefined ? (
          <button
            type="button"
            className="fs-button fs-button--secondary"
            onClick={() => {
              if (change.id !== undefined) void client.dismissRejected(change.id);
            }}
          >
            Dismiss
          </button>
        ) : null}
      </div>
    </li>
  );
}

/**
 * Changes the server did not apply as sent (rejected, or lost a conflict),
 * each with its reason in plain words, and a button to dismiss it once read.
 */
export function SyncSheet(props: { open: boolean; onClose: () => void }) {
  const state = useSyncState();
  return (
    <Sheet open={props.open} onClose={props.onClose} title="Changes not accepted">
      <p className="fs-muted">
        {state.pendingCount
          ? `${plural(state.pendingCount, 'other change')} still waiting to be sent.`
          : 'Everything else has been sent.'}
      </p>
      {state.rejected.length === 0 ? (
        <p>Nothing to sort out. Every change you made was accepted.</p>
      ) : (
        <ul className="fs-rejected-list">
          {state.rejected.map((change) => (
            <RejectedItem key={change.id ?? `${change.clientId}:${change.seq}`} change={change} />
          ))}
        </ul>
      )}
      {state.lastError ? <p className="fs-muted">Last problem: {state.lastError}</p> : null}
    </Sheet>
  );
}
