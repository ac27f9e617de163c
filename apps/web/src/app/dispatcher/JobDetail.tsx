import {
  allowedAssignmentTransitions,
  allowedJobTransitions,
  isLiveAssignment,
  type JobStatus,
  type Role,
} from '@fieldsync/domain';
import { type FormEvent, useMemo, useState } from 'react';
import { MutationRefusedError, newId } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { AssignPanel } from './AssignPanel';
import { useContractors, useOrgTimeZone, useUsersById } from './dispatcher-data';
import {
  activityDetailsText,
  formatDateTime,
  formatDuration,
  formatLocalDate,
  formatTime,
  formatValue,
  humanize,
  JOB_STATUS_ACTION,
  JOB_STATUS_LABEL,
} from './format';
import { type DispatcherRoute, routeHref } from './route';
import { JobNumber, PendingMark, PriorityTag, RefusedChanges, StatusBadge } from './ui';

const EMPTY: never[] = [];

type TimelineEntry =
  | {
      kind: 'status';
      id: string;
      at: string;
      from: JobStatus | null;
      to: JobStatus;
      by: string | null;
      recordedAt: string;
      clientId: string | null;
      reason: string | null;
      pending: boolean;
    }
  | { kind: 'note'; id: string; at: string; by: string | null; body: string; pending: boolean; late: boolean }
  | { kind: 'activity'; id: string; at: string; by: string | null; action: string; source: string; details: string };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** An activity detail in words; instants in the organization's time zone. */
function detailValue(value: unknown, timeZone: string): string {
  return typeof value === 'string' && ISO_INSTANT.test(value) ? formatDateTime(value, timeZone) : formatValue(value);
}

// Status changes and notes have their own, richer entries; their activity rows would only repeat them.
const REPEATED_ACTIVITY = new Set(['job.status_changed', 'note.added']);

/** One job: details, assignments, materials, and its timeline, all live; status buttons per the state machine. */
export function JobDetail({
  jobId,
  panel,
  navigate,
}: {
  jobId: string;
  panel?: 'assign' | 'edit' | undefined;
  navigate: (route: DispatcherRoute) => void;
}) {
  const client = useFieldsync();
  const { db } = client;
  const state = useSyncState();
  const role: Role = state.session?.user.role ?? 'dispatcher';
  const timeZone = useOrgTimeZone();
  const users = useUsersById();
  const contractors = useContractors();
  const job = useLiveQuery(() => db.jobs.get(jobId), [db, jobId], undefined);
  const loaded = useLiveQuery(() => db.jobs.get(jobId).then(() => true), [db, jobId], false);
  const customer = useLiveQuery(
    () => (job?.customerId ? db.customers.get(job.customerId) : undefined),
    [db, job?.customerId],
    undefined,
  );
  const history = useLiveQuery(() => db.jobStatusHistory.where('jobId').equals(jobId).toArray(), [db, jobId], EMPTY);
  const notes = useLiveQuery(() => db.jobNotes.where('jobId').equals(jobId).toArray(), [db, jobId], EMPTY);
  const activity = useLiveQuery(() => db.activityLog.where('jobId').equals(jobId).toArray(), [db, jobId], EMPTY);
  const materials = useLiveQuery(() => db.materials.where('jobId').equals(jobId).toArray(), [db, jobId], EMPTY);
  const assignments = useLiveQuery(() => db.assignments.where('jobId').equals(jobId).toArray(), [db, jobId], EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const [note, setNote] = useState('');
  const [filter, setFilter] = useState<'all' | 'status' | 'note' | 'activity'>('all');

  const userName = (id: string | null | undefined) => (id ? (users.get(id)?.name ?? 'Someone') : 'System');
  const contractorName = (id: string) => contractors.find((c) => c.id === id)?.name ?? 'Unknown contractor';

  const timeline = useMemo<TimelineEntry[]>(() => {
    const entries: TimelineEntry[] = [
      ...history.map((row) => ({
        kind: 'status' as const,
        id: row.id,
        at: row.occurredAt,
        from: row.fromStatus,
        to: row.toStatus,
        by: row.changedBy,
        recordedAt: row.recordedAt,
        clientId: row.clientId,
        reason: row.reason ?? null,
        pending: (row as { _pendingSeq?: number })._pendingSeq !== undefined,
      })),
      ...notes.map((row) => ({
        kind: 'note' as const,
        id: row.id,
        at: row.occurredAt,
        by: row.authorId,
        body: row.body,
        pending: row._pendingSeq !== undefined,
        late: row.recordedAfterCancellation === true,
      })),
      ...activity
        .filter((row) => !REPEATED_ACTIVITY.has(row.action))
        .map((row) => ({
          kind: 'activity' as const,
          id: row.id,
          at: row.createdAt,
          by: row.userId,
          action: row.action,
          source: row.source,
          details: activityDetailsText(row.details, (value) => detailValue(value, timeZone)),
        })),
    ];
    // Newest first; occurred time is when it happened on the device, so a day offline reads in order.
    return entries.sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
  }, [history, notes, activity, timeZone]);

  if (!job) {
    return (
      <section className="dsp-page">
        <a className="dsp-back" href={routeHref({ name: 'board' })}>
          ← Jobs
        </a>
        <p className="dsp-empty">
          {loaded ? 'This job is not on this device (it may have been removed).' : 'Loading…'}
        </p>
      </section>
    );
  }

  const transitions = allowedJobTransitions(job.status, role);
  const setStatus = async (to: JobStatus, reason?: string) => {
    setError(null);
    try {
      await client.mutate('job.setStatus', { jobId: job.id, to, ...(reason ? { reason } : {}) });
      setConfirmCancel(false);
      setCancelReason('');
    } catch (caught) {
      setError(caught instanceof MutationRefusedError ? caught.message : String(caught));
    }
  };

  const addNote = async (event: FormEvent) => {
    event.preventDefault();
    if (!note.trim()) return;
    try {
      await client.mutate('note.add', { id: newId(), jobId: job.id, body: note.trim() });
      setNote('');
    } catch (caught) {
      setError(caught instanceof MutationRefusedError ? caught.message : String(caught));
    }
  };

  const setAssignmentStatus = async (id: string, to: 'cancelled' | 'confirmed' | 'declined' | string) => {
    setError(null);
    try {
      await client.mutate('assignment.setStatus', {
        id,
        to: to as 'cancelled',
        ...(to === 'cancelled' ? { reason: 'Cancelled by dispatcher' } : {}),
      });
    } catch (caught) {
      setError(caught instanceof MutationRefusedError ? caught.message : String(caught));
    }
  };

  const refused = state.rejected.filter((change) => {
    const args = change.args as { jobId?: unknown; id?: unknown } | null;
    return args?.jobId === job.id || args?.id === job.id;
  });
  const shown = timeline.filter((entry) => filter === 'all' || entry.kind === filter);

  return (
    <div className={`dsp-detail-layout${panel === 'assign' ? ' dsp-with-panel' : ''}`}>
      <section className="dsp-page dsp-detail" aria-labelledby="dsp-job-title">
        <header className="dsp-page-head dsp-detail-head">
          <div>
            <a className="dsp-back" href={routeHref({ name: 'board' })}>
              ← Jobs
            </a>
            <p className="dsp-detail-number">
              <JobNumber jobNumber={job.jobNumber} /> <PendingMark pending={job._pendingSeq} />
            </p>
            <h1 id="dsp-job-title">{job.title}</h1>
            <p className="dsp-detail-sub">
              <StatusBadge status={job.status} /> <PriorityTag priority={job.priority} />
              <span>{humanize(job.trade)}</span>
              <span>{formatLocalDate(job.desiredDate)}</span>
              <span>{formatDuration(job.durationMinutes)}</span>
            </p>
          </div>
          <div className="dsp-toolbar">
            <a className="dsp-button" href={routeHref({ name: 'job', jobId: job.id, panel: 'edit' })}>
              Edit
            </a>
            <a
              className="dsp-button dsp-button-primary"
              href={routeHref({ name: 'job', jobId: job.id, panel: panel === 'assign' ? undefined : 'assign' })}
              aria-expanded={panel === 'assign'}
            >
              {panel === 'assign' ? 'Hide recommendations' : 'Recommend & assign'}
            </a>
          </div>
        </header>

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
        {error ? (
          <p className="dsp-notice dsp-notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <RefusedChanges
          changes={refused}
          lead={(change) => (change.code === 'conflict' ? 'Changed by someone else: ' : 'Not applied: ')}
          onDismiss={(id) => void client.dismissRejected(id)}
        />

        <div className="dsp-detail-grid">
          <div className="dsp-detail-side">
            <section className="dsp-box" aria-labelledby="dsp-customer-h">
              <h2 id="dsp-customer-h">Customer & site</h2>
              {customer ? (
                <dl className="dsp-dl">
                  <dt>Name</dt>
                  <dd>
                    <a href={routeHref({ name: 'customer', customerId: customer.id })}>{customer.name}</a>
                  </dd>
                  <dt>Phone</dt>
                  <dd>{customer.phone ? <a href={`tel:${customer.phone}`}>{customer.phone}</a> : '—'}</dd>
                  <dt>Email</dt>
                  <dd>{customer.email ?? '—'}</dd>
                </dl>
              ) : (
                <p className="dsp-muted">No customer</p>
              )}
              <dl className="dsp-dl">
                <dt>Site</dt>
                <dd>{job.address ?? '—'}</dd>
                {job.description ? (
                  <>
                    <dt>Description</dt>
                    <dd className="dsp-pre">{job.description}</dd>
                  </>
                ) : null}
                {job.specialRequirements.length > 0 ? (
                  <>
                    <dt>Requirements</dt>
                    <dd>{job.specialRequirements.join(', ')}</dd>
                  </>
                ) : null}
              </dl>
            </section>

            <section className="dsp-box" aria-labelledby="dsp-assignments-h">
              <h2 id="dsp-assignments-h">Assignments</h2>
              {assignments.length === 0 ? (
                <p className="dsp-muted">
                  Nobody yet.{' '}
                  <a href={routeHref({ name: 'job', jobId: job.id, panel: 'assign' })}>See recommendations</a>
                </p>
              ) : (
                <ul className="dsp-list">
                  {assignments.map((a) => (
                    <li key={a.id} className={isLiveAssignment(a.status) ? '' : 'dsp-dim'}>
                      <div>
                        <strong>{contractorName(a.contractorId)}</strong>{' '}
                        <span className={`dsp-astatus dsp-astatus-${a.status}`}>{humanize(a.status)}</span>
                        <PendingMark pending={a._pendingSeq} />
                      </div>
                      <div className="dsp-muted">
                        {formatDateTime(a.scheduledStart, timeZone)}–{formatTime(a.scheduledEnd, timeZone)}
                        {a.score !== null ? ` · score ${Math.round(a.score * 100)}` : ''}
                        {a.cancellationReason ? ` · ${a.cancellationReason}` : ''}
                      </div>
                      {allowedAssignmentTransitions(a.status, role, false).includes('cancelled') ? (
                        <button
                          type="button"
                          className="dsp-link-button"
                          onClick={() => void setAssignmentStatus(a.id, 'cancelled')}
                        >
                          Cancel assignment
                        </button>
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
            </section>

            <section className="dsp-box" aria-labelledby="dsp-materials-h">
              <h2 id="dsp-materials-h">Materials</h2>
              {materials.length === 0 ? (
                <p className="dsp-muted">None listed.</p>
              ) : (
                <ul className="dsp-list">
                  {materials.map((m) => (
                    <li key={m.id} className="dsp-material">
                      <span aria-hidden="true" className={m.purchased ? 'dsp-tick dsp-tick-on' : 'dsp-tick'}>
                        {m.purchased ? '✓' : ''}
                      </span>
                      <span>
                        {m.itemName} · {m.quantity} {m.unit}
                        {m.recordedAfterCancellation === true ? (
                          <span className="dsp-late-mark">Recorded after cancellation</span>
                        ) : null}
                        <span className="dsp-muted">
                          {m.purchased
                            ? ` · bought by ${userName(m.purchasedBy)} ${formatDateTime(m.purchasedAt, timeZone)}`
                            : ' · to buy'}
                        </span>
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>

          <section className="dsp-box dsp-timeline-box" aria-labelledby="dsp-timeline-h">
            <div className="dsp-box-head">
              <h2 id="dsp-timeline-h">Timeline</h2>
              <fieldset className="dsp-segmented dsp-segmented-small" aria-label="Show">
                {(['all', 'status', 'note', 'activity'] as const).map((kind) => (
                  <button key={kind} type="button" aria-pressed={filter === kind} onClick={() => setFilter(kind)}>
                    {kind === 'all' ? 'All' : kind === 'status' ? 'Status' : kind === 'note' ? 'Notes' : 'Activity'}
                  </button>
                ))}
              </fieldset>
            </div>
            <form className="dsp-note-form" onSubmit={addNote}>
              <label htmlFor="dsp-note" className="dsp-visually-hidden">
                Add a note
              </label>
              <textarea
                id="dsp-note"
                rows={2}
                placeholder="Add a note for the crew…"
                value={note}
                onChange={(event) => setNote(event.target.value)}
              />
              <button type="submit" className="dsp-button" disabled={!note.trim()}>
                Add note
              </button>
            </form>
            <ol className="dsp-timeline" aria-label="Job timeline">
              {shown.length === 0 ? <li className="dsp-muted">Nothing yet.</li> : null}
              {shown.map((entry) => (
                <li key={`${entry.kind}-${entry.id}`} className={`dsp-tl dsp-tl-${entry.kind}`}>
                  <span className="dsp-tl-dot" aria-hidden="true" />
                  {entry.kind === 'status' ? (
                    <div>
                      <p className="dsp-tl-title">
                        {entry.from ? (
                          <>
                            {JOB_STATUS_LABEL[entry.from]} → <strong>{JOB_STATUS_LABEL[entry.to]}</strong>
                          </>
                        ) : (
                          <>
                            Created as <strong>{JOB_STATUS_LABEL[entry.to]}</strong>
                          </>
                        )}
                        {entry.pending ? <span className="dsp-pending"> · not sent</span> : null}
                      </p>
                      <p className="dsp-tl-meta">
                        {userName(entry.by)} · happened {formatDateTime(entry.at, timeZone)} · recorded{' '}
                        {entry.pending ? 'not yet' : formatDateTime(entry.recordedAt, timeZone)}
                        {entry.clientId ? (
                          <>
                            {' '}
                            · device <code title={entry.clientId}>{entry.clientId.slice(-8)}</code>
                          </>
                        ) : null}
                      </p>
                      {entry.reason ? <p className="dsp-tl-body">“{entry.reason}”</p> : null}
                    </div>
                  ) : entry.kind === 'note' ? (
                    <div>
                      <p className="dsp-tl-title">
                        Note by {userName(entry.by)}
                        {entry.pending ? <span className="dsp-pending"> · not sent</span> : null}
                        {entry.late ? <span className="dsp-late-mark">Recorded after cancellation</span> : null}
                      </p>
                      <p className="dsp-tl-body dsp-pre">{entry.body}</p>
                      <p className="dsp-tl-meta">{formatDateTime(entry.at, timeZone)}</p>
                    </div>
                  ) : (
                    <div>
                      <p className="dsp-tl-title">{humanize(entry.action.replace('.', ' '))}</p>
                      <p className="dsp-tl-meta">
                        {userName(entry.by)} · {formatDateTime(entry.at, timeZone)} · {humanize(entry.source)}
                        {entry.details ? ` · ${entry.details}` : ''}
                      </p>
                    </div>
                  )}
                </li>
              ))}
            </ol>
          </section>
        </div>
      </section>
      {panel === 'assign' ? <AssignPanel job={job} onClose={() => navigate({ name: 'job', jobId: job.id })} /> : null}
    </div>
  );
}
