import { useId } from 'react';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { compareInstants, formatDateTime } from '../shell/format';
import { JOB_STATUS_LABEL } from '../shell/labels';
import { useOrganization } from '../shell/use-organization';
import { useUserNames } from './use-contractor-data';

/**
 * The job's status history in the order things happened on site, each with
 * when it happened and when it reached the office (or "not sent yet").
 */
export function TimelineSection({ jobId }: { jobId: string }) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const history = useLiveQuery(
    async () =>
      // By instant, not by string: the server may send `…:01Z` next to `…:01.512Z`. A job's first
      // status (no `fromStatus`) always leads; moves sent in the same instant keep their seq order.
      (await db.jobStatusHistory.where('jobId').equals(jobId).toArray()).sort(
        (a, b) =>
          compareInstants(a.occurredAt, b.occurredAt) ||
          Number(a.fromStatus !== null) - Number(b.fromStatus !== null) ||
          (a.seq ?? 0) - (b.seq ?? 0),
      ),
    [jobId],
  );
  const names = useUserNames(history?.map((row) => row.changedBy) ?? []);
  const id = useId();

  return (
    <section className="ct-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Timeline</h2>
      {history?.length === 0 ? <p className="fs-muted">No status changes yet.</p> : null}
      {history?.length ? (
        <ol className="ct-timeline">
          {history.map((row) => {
            const pending = row._pendingSeq !== undefined;
            return (
              <li key={row.id} className={`ct-timeline__item${pending ? ' ct-timeline__item--pending' : ''}`}>
                <p className="ct-timeline__what">
                  {row.fromStatus ? `${JOB_STATUS_LABEL[row.fromStatus]} → ` : ''}
                  <strong>{JOB_STATUS_LABEL[row.toStatus]}</strong>
                </p>
                {row.reason ? <p className="ct-timeline__reason">“{row.reason}”</p> : null}
                <p className="ct-timeline__meta">
                  {formatDateTime(row.occurredAt, clock)}
                  {row.changedBy && names.get(row.changedBy) ? ` · ${names.get(row.changedBy)}` : ''}
                </p>
                <p className="ct-timeline__meta">
                  {pending ? (
                    <span className="ct-badge ct-badge--pending">Not sent yet</span>
                  ) : (
                    `Reached the office ${formatDateTime(row.recordedAt, clock)}`
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
