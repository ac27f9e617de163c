import type { JobStatus } from '@fieldsync/domain';
import { useId, useRef, useState } from 'react';
import { describeUploads, MutationRefusedError, type RejectedChange } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { downloadText, exportFileName } from './download';
import { compareInstants, formatDateTime, plural } from './format';
import { changeDetails, describeChange } from './labels';
import { changeAsExport, changeAsText, explainRejected, type RejectedJobContext } from './rejected-change';
import { Sheet } from './Sheet';
import { useOrganization } from './use-organization';

/** Changes that can go to another of the person's jobs as they are. */
const MOVABLE: ReadonlySet<string> = new Set(['note.add', 'material.add']);
const LIVE_ASSIGNMENT: ReadonlySet<string> = new Set(['pending', 'confirmed', 'in_progress']);

/** What this device knows today about the job a rejected change was for. */
function useJobContext(change: RejectedChange): RejectedJobContext | undefined {
  const { db } = useFieldsync();
  const userId = useSyncState().session?.user.id;
  return useLiveQuery(async () => {
    const args = (change.args ?? {}) as Record<string, unknown>;
    let jobId = typeof args.jobId === 'string' ? args.jobId : undefined;
    const id = typeof args.id === 'string' ? args.id : undefined;
    if (!jobId && id && change.name.startsWith('material.')) jobId = (await db.materials.get(id))?.jobId;
    if (!jobId && id && change.name.startsWith('assignment.')) jobId = (await db.assignments.get(id))?.jobId;
    if (!jobId) return {};
    const job = await db.jobs.get(jobId);
    if (!job) return { assignmentEnded: true };
    const history = await db.jobStatusHistory.where('jobId').equals(jobId).toArray();
    const cancellation = history
      .filter((row) => row.toStatus === 'cancelled')
      .sort((a, b) => compareInstants(b.occurredAt, a.occurredAt))[0];
    const contractor = userId ? await db.contractors.where('userId').equals(userId).first() : undefined;
    const own = contractor
      ? (await db.assignments.where('jobId').equals(jobId).toArray()).filter((a) => a.contractorId === contractor.id)
      : [];
    return {
      jobTitle: `${job.title} · ${job.jobNumber}`,
      jobStatus: job.status as JobStatus,
      cancellationReason: cancellation?.reason ?? null,
      assignmentEnded: contractor !== undefined && !own.some((a) => LIVE_ASSIGNMENT.has(a.status)),
    };
  }, [change.name, change.args, userId]);
}

/** The contractor's jobs they can still add work to, for "Add to another job". */
function useOtherJobs(exceptJobId: string | undefined, enabled: boolean) {
  const { db } = useFieldsync();
  const userId = useSyncState().session?.user.id;
  return useLiveQuery(async () => {
    if (!enabled || !userId) return [];
    const contractor = await db.contractors.where('userId').equals(userId).first();
    if (!contractor) return [];
    const assignments = await db.assignments.where('contractorId').equals(contractor.id).toArray();
    const jobIds = [...new Set(assignments.filter((a) => LIVE_ASSIGNMENT.has(a.status)).map((a) => a.jobId))];
    const jobs = await db.jobs.bulkGet(jobIds);
    return jobs
      .filter((job) => job !== undefined && job.id !== exceptJobId)
      .filter((job) => job?.status !== 'cancelled' && job?.status !== 'completed')
      .map((job) => ({ id: job?.id ?? '', label: `${job?.title} · ${job?.jobNumber}` }));
  }, [enabled, userId, exceptJobId]);
}

const MEGABYTE = 1_048_576;

/** "2.1 MB", or "0.3 MB" for a little; the device storage line. */
function megabytes(bytes: number): string {
  return `${(bytes / MEGABYTE).toFixed(1)} MB`;
}

/**
 * Photos and files still to upload (a line and a progress bar), the ones the
 * server refused with their reason, and how much this phone keeps for them.
 */
function UploadsSection() {
  const client = useFieldsync();
  const { uploads, online } = useSyncState();
  const failed = useLiveQuery(async () => {
    const files = await client.db.attachmentFiles.where('uploadState').equals('failed').toArray();
    const rows = await client.db.attachments.bulkGet(files.map((file) => file.id));
    return files.map((file, index) => ({
      id: file.id,
      name: rows[index]?.fileName ?? 'A file',
      reason: file.error ?? 'The server did not accept this file.',
    }));
  }, [client]);
  const usage = useLiveQuery(() => client.storageUsage(), [client]);
  const id = useId();
  return (
    <section className="fs-uploads" aria-labelledby={`${id}-uploads`}>
      <h3 id={`${id}-uploads`}>Photos and files</h3>
      <p role="status" data-testid="upload-progress">
        {describeUploads(uploads)}
        {uploads.count > 0 && !online ? ' — paused until you are back online' : ''}
      </p>
      {uploads.count > 0 ? (
        <progress
          className="fs-uploads__bar"
          style={{ width: '100%' }}
          value={uploads.sentBytes}
          max={Math.max(1, uploads.totalBytes)}
          aria-label="Upload progress"
        />
      ) : null}
      {failed && failed.length > 0 ? (
        <ul className="fs-uploads__failed">
          {failed.map((file) => (
            <li key={file.id}>
              <strong>{file.name}</strong>: {file.reason}
            </li>
          ))}
        </ul>
      ) : null}
      {usage ? (
        <p className="fs-muted" data-testid="device-storage">
          {usage.files === 0
            ? 'This app stores no photos or files on this phone.'
            : `This app stores ${megabytes(usage.bytes)} on this phone (${plural(usage.files, 'file')}). Uploaded photos older than 3 days keep only a small preview.`}
        </p>
      ) : null}
    </section>
  );
}

type Mode = 'view' | 'move' | 'delete';

function RejectedItem({ change }: { change: RejectedChange }) {
  const client = useFieldsync();
  const role = useSyncState().session?.user.role;
  const clock = useOrganization();
  const context = useJobContext(change) ?? {};
  const [mode, setMode] = useState<Mode>('view');
  const [note, setNote] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [targetJob, setTargetJob] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  const args = (change.args ?? {}) as Record<string, unknown>;
  const movable = role === 'contractor' && MOVABLE.has(change.name);
  const otherJobs = useOtherJobs(typeof args.jobId === 'string' ? args.jobId : undefined, movable && mode === 'move');
  const details = changeDetails(change.name, change.args);
  const why = explainRejected(change, context);

  async function copy() {
    try {
      await navigator.clipboard.writeText(changeAsText(change, context));
      setNote({ tone: 'ok', text: 'Copied. Paste it into a message to the office.' });
    } catch {
      setNote({ tone: 'error', text: 'This phone did not allow copying. Use “Export” instead.' });
    }
  }

  function exportIt() {
    downloadText(
      changeAsExport(change, context, new Date().toISOString()),
      exportFileName(`fieldsync-change-${change.seq}`),
    );
    setNote({ tone: 'ok', text: 'Saved as a file in your downloads.' });
  }

  async function sendAgain(jobId?: string) {
    if (change.id === undefined) return;
    setBusy(true);
    try {
      await client.retryRejected(change.id, jobId ? { jobId } : {});
      setMode('view');
      setNote({
        tone: 'ok',
        text: jobId
          ? 'Added to the other job. It will be sent with your next changes.'
          : 'Queued again. It will be sent with your next changes.',
      });
    } catch (caught) {
      setNote({
        tone: 'error',
        text: caught instanceof MutationRefusedError ? caught.message : 'It could not be queued again on this phone.',
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="fs-rejected" aria-labelledby={`${id}-what`}>
      <p className="fs-rejected__what" id={`${id}-what`}>
        <strong>{describeChange(change.name, change.args)}</strong>
        {change.code === 'conflict' ? <span className="fs-chip fs-chip--pending">Conflict</span> : null}
      </p>
      {context.jobTitle ? <p className="fs-rejected__job">{context.jobTitle}</p> : null}
      {details.length ? (
        <dl className="fs-rejected__content">
          {details.map((detail) => (
            <div key={detail.label} className="fs-rejected__detail">
              <dt>{detail.label}</dt>
              <dd>{detail.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <p className="fs-rejected__why">{why}</p>
      <p className="fs-muted fs-rejected__when">
        {formatDateTime(change.at, clock)}
        {change.resentSeq !== undefined ? ' · sent again' : ''}
      </p>
      {note ? (
        <p className={note.tone === 'error' ? 'fs-error' : 'fs-rejected__done'} role="status">
          {note.text}
        </p>
      ) : null}
      {mode === 'view' ? (
        <div className="fs-rejected__actions">
          <button type="button" className="fs-button fs-button--secondary fs-button--small" onClick={() => void copy()}>
            Copy
          </button>
          <button type="button" className="fs-button fs-button--secondary fs-button--small" onClick={exportIt}>
            Export
          </button>
          {change.code !== 'conflict' && change.id !== undefined && context.jobStatus !== 'cancelled' ? (
            <button
              type="button"
              className="fs-button fs-button--secondary fs-button--small"
              disabled={busy}
              onClick={() => void sendAgain()}
            >
              Send again
            </button>
          ) : null}
          {movable ? (
            <button
              type="button"
              className="fs-button fs-button--secondary fs-button--small"
              onClick={() => setMode('move')}
            >
              Add to another job
            </button>
          ) : null}
          <button
            type="button"
            className="fs-button fs-button--ghost fs-button--small fs-rejected__delete"
            onClick={() => setMode('delete')}
          >
            Delete
          </button>
        </div>
      ) : null}
      {mode === 'move' ? (
        <form
          className="fs-form fs-rejected__confirm"
          onSubmit={(event) => {
            event.preventDefault();
            if (targetJob) void sendAgain(targetJob);
          }}
        >
          <label className="fs-field" htmlFor={`${id}-job`}>
            <span>Add it to which job?</span>
          </label>
          {otherJobs?.length === 0 ? <p className="fs-muted">You have no other open jobs on this phone.</p> : null}
          <select
            id={`${id}-job`}
            className="fs-input"
            value={targetJob}
            onChange={(event) => setTargetJob(event.target.value)}
          >
            <option value="">Choose a job…</option>
            {(otherJobs ?? []).map((job) => (
              <option key={job.id} value={job.id}>
                {job.label}
              </option>
            ))}
          </select>
          <div className="fs-row">
            <button type="submit" className="fs-button fs-button--primary" disabled={busy || !targetJob}>
              Add to this job
            </button>
            <button type="button" className="fs-button fs-button--secondary" onClick={() => setMode('view')}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {mode === 'delete' ? (
        <fieldset className="fs-rejected__confirm">
          <legend>Delete this change for good? It is the only copy: export it first if the office may need it.</legend>
          <div className="fs-row">
            <button
              type="button"
              className="fs-button fs-button--danger"
              onClick={() => {
                if (change.id !== undefined) void client.dismissRejected(change.id);
              }}
            >
              Delete for good
            </button>
            <button type="button" className="fs-button fs-button--secondary" onClick={() => setMode('view')}>
              Keep it
            </button>
          </div>
        </fieldset>
      ) : null}
    </li>
  );
}

/**
 * Upload progress and device storage first, then the changes the server did
 * not apply as sent (rejected, or lost a conflict), each with what it held
 * and its reason in plain words. Each can be copied, exported, sent again
 * (or, for a note or material, added to another job); none is removed
 * without "Delete" and a confirmation.
 */
export function SyncSheet(props: { open: boolean; onClose: () => void }) {
  const state = useSyncState();
  // Named for what it was opened for, and kept while open: deleting the last refused change must not
  // rename the sheet under the person's eyes.
  const title = useRef<string | undefined>(undefined);
  if (!props.open) title.current = undefined;
  else title.current ??= state.rejected.length > 0 ? 'Changes not accepted' : 'Changes and uploads';
  return (
    <Sheet open={props.open} onClose={props.onClose} title={title.current ?? 'Changes and uploads'}>
      <UploadsSection />
      <h3>Changes</h3>
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
