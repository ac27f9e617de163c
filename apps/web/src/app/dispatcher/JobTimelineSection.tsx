import type { JobStatus } from '@fieldsync/domain';
import { type FormEvent, useMemo, useState } from 'react';
import { newId } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { attachmentActivityText } from '../contractor/attachment-words';
import { JOB_STATUS_LABEL } from '../shell/labels';
import { useOrganization } from '../shell/use-organization';
import { CHANNEL_LABEL } from './alert-labels';
import { alertStatusText, groupAlertDeliveries, type TimelineAlert } from './alert-timeline';
import { useUserName } from './dispatcher-data';
import { activityDetailsText, activityDetailValue, formatDateTime, humanize } from './format';
import type { RunAction } from './JobStatusActions';

const EMPTY: never[] = [];
const FILTER_LABEL = { all: 'All', status: 'Status', note: 'Notes', activity: 'Activity', alert: 'Alerts' } as const;

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
  | {
      kind: 'activity';
      id: string;
      at: string;
      by: string | null;
      /** The activity in words: "Signed by Dana Smith", "Photo added", or the humanised action. */
      title: string;
      source: string;
      details: string;
    }
  | { kind: 'alert'; id: string; at: string; alert: TimelineAlert; ruleName: string | undefined };

// Status changes and notes have their own, richer entries; their activity rows would only repeat them.
const REPEATED_ACTIVITY = new Set(['job.status_changed', 'note.added']);

// An attachment's title already says what these details say ("Signed by Dana Smith", "Document added: x.pdf").
const SAID_IN_ATTACHMENT_TITLE = new Set(['kind', 'fileName', 'signerName']);

/** "Follow-up created from the field: Replace the cracked tiles" on the job it follows up. */
function followUpActivityText(action: string, details: unknown): string | undefined {
  if (action !== 'job.follow_up_created' || !details || typeof details !== 'object') return undefined;
  const { title, fromField } = details as { title?: unknown; fromField?: unknown };
  const what = fromField === true ? 'Follow-up created from the field' : 'Follow-up created';
  return typeof title === 'string' ? `${what}: ${title}` : what;
}

/** An activity row's details, less what its title already says. */
function detailsBeyondTitle(action: string, details: unknown): unknown {
  if (action === 'job.follow_up_created') return undefined;
  if (!action.startsWith('attachment.') || !details || typeof details !== 'object') return details;
  return Object.fromEntries(Object.entries(details).filter(([key]) => !SAID_IN_ATTACHMENT_TITLE.has(key)));
}

/** Status changes, notes, activity and alerts raised of one job, newest first, with a filter and a note form. */
export function JobTimelineSection({ jobId, run }: { jobId: string; run: RunAction }) {
  const client = useFieldsync();
  const { db } = client;
  const clock = useOrganization();
  const userName = useUserName();
  const history = useLiveQuery(() => db.jobStatusHistory.where('jobId').equals(jobId).toArray(), [db, jobId], EMPTY);
  const notes = useLiveQuery(() => db.jobNotes.where('jobId').equals(jobId).toArray(), [db, jobId], EMPTY);
  const activity = useLiveQuery(() => db.activityLog.where('jobId').equals(jobId).toArray(), [db, jobId], EMPTY);
  const deliveries = useLiveQuery(() => db.alertDeliveries.where('jobId').equals(jobId).toArray(), [db, jobId], EMPTY);
  const rules = useLiveQuery(() => db.alertRules.toArray(), [db], EMPTY);
  const [note, setNote] = useState('');
  const [filter, setFilter] = useState<'all' | 'status' | 'note' | 'activity' | 'alert'>('all');

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
        pending: row._pendingSeq !== undefined,
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
          title:
            attachmentActivityText(row.action, row.details) ??
            followUpActivityText(row.action, row.details) ??
            humanize(row.action.replace('.', ' ')),
          source: row.source,
          details: activityDetailsText(detailsBeyondTitle(row.action, row.details), (value) =>
            activityDetailValue(value, clock),
          ),
        })),
      // One alert sent on several channels to several people shows once.
      ...groupAlertDeliveries(deliveries).map((alert) => ({
        kind: 'alert' as const,
        id: alert.key,
        at: alert.createdAt,
        alert,
        ruleName: rules.find((rule) => rule.id === alert.ruleId)?.name,
      })),
    ];
    // Newest first; occurred time is when it happened on the device, so a day offline reads in order.
    return entries.sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
  }, [history, notes, activity, deliveries, rules, clock]);
  const shown = timeline.filter((entry) => filter === 'all' || entry.kind === filter);

  const addNote = async (event: FormEvent) => {
    event.preventDefault();
    const body = note.trim();
    if (!body) return;
    if (await run(() => client.mutate('note.add', { id: newId(), jobId, body }))) setNote('');
  };

  return (
    <section className="dsp-box dsp-timeline-box" aria-labelledby="dsp-timeline-h">
      <div className="dsp-box-head">
        <h2 id="dsp-timeline-h">Timeline</h2>
        <fieldset className="dsp-segmented dsp-segmented-small" aria-label="Show">
          {(['all', 'status', 'note', 'activity', 'alert'] as const).map((kind) => (
            <button key={kind} type="button" aria-pressed={filter === kind} onClick={() => setFilter(kind)}>
              {FILTER_LABEL[kind]}
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
                  {userName(entry.by)} · happened {formatDateTime(entry.at, clock)} · recorded{' '}
                  {entry.pending ? 'not yet' : formatDateTime(entry.recordedAt, clock)}
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
                <p className="dsp-tl-meta">{formatDateTime(entry.at, clock)}</p>
              </div>
            ) : entry.kind === 'alert' ? (
              <div data-testid="job-timeline-alert">
                <p className="dsp-tl-title">Alert: {entry.alert.title || entry.ruleName || 'an alert'}</p>
                <p className="dsp-tl-meta">
                  {entry.ruleName ? `Rule “${entry.ruleName}”` : 'A removed rule'} ·{' '}
                  {entry.alert.channels.map((channel) => CHANNEL_LABEL[channel]).join(', ')} ·{' '}
                  {alertStatusText(entry.alert.statusCounts)} · {formatDateTime(entry.at, clock)}
                </p>
              </div>
            ) : (
              <div>
                <p className="dsp-tl-title">{entry.title}</p>
                <p className="dsp-tl-meta">
                  {userName(entry.by)} · {formatDateTime(entry.at, clock)} · {humanize(entry.source)}
                  {entry.details ? ` · ${entry.details}` : ''}
                </p>
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
