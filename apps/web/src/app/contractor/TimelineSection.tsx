import { useId } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { compareInstants, formatDateTime } from '../shell/format';
import { JOB_STATUS_LABEL } from '../shell/labels';
import { useOrganization } from '../shell/use-organization';
import { attachmentActivityText } from './attachment-words';
import { useUserNames } from './use-contractor-data';

type StatusRow = LocalRow<'jobStatusHistory'>;
type AttachmentRow = LocalRow<'attachments'>;
type Entry = { kind: 'status'; at: string; row: StatusRow } | { kind: 'attachment'; at: string; row: AttachmentRow };

/**
 * The job's status history in the order things happened on site, each with
 * when it happened and when it reached the office (or "not sent yet"), and
 * the photos, documents and signatures added on the way ("Signed by Dana
 * Smith"). The phone has no activity log: files come from their own rows,
 * and a removed file leaves the timeline with its row.
 */
export function TimelineSection({ jobId }: { jobId: string }) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const entries = useLiveQuery(async () => {
    const [history, attachments] = await Promise.all([
      db.jobStatusHistory.where('jobId').equals(jobId).toArray(),
      db.attachments.where('jobId').equals(jobId).toArray(),
    ]);
    const list: Entry[] = [
      ...history.map((row) => ({ kind: 'status' as const, at: row.occurredAt, row })),
      ...attachments
        .filter((row) => row.deletedAt === null)
        .map((row) => ({ kind: 'attachment' as const, at: row.takenAt, row })),
    ];
    // By instant, not by string: the server may send `…:01Z` next to `…:01.512Z`. A job's first
    // status (no `fromStatus`) always leads; moves sent in the same instant keep their seq order.
    return list.sort(
      (a, b) =>
        compareInstants(a.at, b.at) ||
        Number(a.kind === 'attachment') - Number(b.kind === 'attachment') ||
        (a.kind === 'status' && b.kind === 'status'
          ? Number(a.row.fromStatus !== null) - Number(b.row.fromStatus !== null) || (a.row.seq ?? 0) - (b.row.seq ?? 0)
          : 0),
    );
  }, [jobId]);
  const names = useUserNames(
    entries?.map((entry) => (entry.kind === 'status' ? entry.row.changedBy : entry.row.createdBy)) ?? [],
  );
  const id = useId();

  return (
    <section className="ct-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Timeline</h2>
      {entries?.length === 0 ? <p className="fs-muted">No status changes yet.</p> : null}
      {entries?.length ? (
        <ol className="ct-timeline">
          {entries.map((entry) => {
            const { row } = entry;
            const pending = row._pendingSeq !== undefined;
            const by = entry.kind === 'status' ? entry.row.changedBy : entry.row.createdBy;
            return (
              <li
                key={`${entry.kind}-${row.id}`}
                className={`ct-timeline__item${pending ? ' ct-timeline__item--pending' : ''}${
                  entry.kind === 'attachment' ? ' ct-timeline__item--file' : ''
                }`}
              >
                {entry.kind === 'status' ? (
                  <>
                    <p className="ct-timeline__what">
                      {entry.row.fromStatus ? `${JOB_STATUS_LABEL[entry.row.fromStatus]} → ` : ''}
                      <strong>{JOB_STATUS_LABEL[entry.row.toStatus]}</strong>
                    </p>
                    {entry.row.reason ? <p className="ct-timeline__reason">“{entry.row.reason}”</p> : null}
                  </>
                ) : (
                  <>
                    <p className="ct-timeline__what">
                      <strong>
                        {attachmentActivityText(
                          entry.row.kind === 'signature' ? 'attachment.signed' : 'attachment.added',
                          entry.row,
                        )}
                      </strong>
                    </p>
                    {entry.row.caption ? <p className="ct-timeline__reason">“{entry.row.caption}”</p> : null}
                  </>
                )}
                <p className="ct-timeline__meta">
                  {formatDateTime(entry.at, clock)}
                  {by && names.get(by) ? ` · ${names.get(by)}` : ''}
                </p>
                <p className="ct-timeline__meta">
                  {pending ? (
                    <span className="ct-badge ct-badge--pending">Not sent yet</span>
                  ) : entry.kind === 'status' ? (
                    `Reached the office ${formatDateTime(entry.row.recordedAt, clock)}`
                  ) : entry.row.uploadedAt ? (
                    `Reached the office ${formatDateTime(entry.row.uploadedAt, clock)}`
                  ) : (
                    'The office knows of it; the file is still uploading'
                  )}
                </p>
              </li>
            );
          })}
        </ol>
      ) : null}
    </section>
  );
}
