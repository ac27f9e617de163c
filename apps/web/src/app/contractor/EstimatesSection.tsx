import { formatCents } from '@fieldsync/domain';
import { useId } from 'react';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { EstimateStatusChip } from '../estimates/EstimateStatusChip';
import { estimateNumberText } from '../estimates/estimate-words';
import { estimateHref, newEstimateHref } from '../router';
import { compareInstants } from '../shell/format';
import type { LocalJob } from './use-contractor-data';

/**
 * The estimates of this job's customer (the ones for this job first), each
 * with its number, title, total and status, and "New estimate". All from
 * this phone's copy: an estimate written here shows at once, without a
 * number until the office has it.
 */
export function EstimatesSection({ job, canEdit }: { job: LocalJob; canEdit: boolean }) {
  const { db } = useFieldsync();
  const id = useId();
  const customerId = job.customerId;
  const estimates = useLiveQuery(
    async () =>
      customerId
        ? (await db.estimates.where('customerId').equals(customerId).toArray())
            .filter((estimate) => !estimate.deletedAt)
            .sort(
              (a, b) =>
                Number(b.jobId === job.id) - Number(a.jobId === job.id) || compareInstants(b.createdAt, a.createdAt),
            )
        : [],
    [customerId, job.id],
  );

  return (
    <section className="ct-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Estimates</h2>
      {!customerId ? (
        <p className="fs-muted">This job has no customer on file, so there is no one to send an estimate to.</p>
      ) : estimates === undefined ? (
        <p className="fs-muted">Loading…</p>
      ) : estimates.length === 0 ? (
        <p className="fs-muted">No estimates for this customer yet.</p>
      ) : (
        <ul className="es-list">
          {estimates.map((estimate) => (
            <li key={estimate.id}>
              <a className="es-list__item" href={estimateHref(estimate.id)}>
                <span className="es-list__top">
                  <span className={estimate.number ? 'es-list__number' : 'es-list__number es-list__number--none'}>
                    {estimateNumberText(estimate.number)}
                  </span>
                  <EstimateStatusChip status={estimate.status} />
                </span>
                <span className="es-list__title">{estimate.title}</span>
                <span className="es-list__bottom">
                  <span className="es-list__total">{formatCents(estimate.totalCents, estimate.currency)}</span>
                  {estimate.jobId === job.id ? <span className="fs-muted">This job</span> : null}
                  {estimate._pendingSeq !== undefined ? (
                    <span className="ct-badge ct-badge--pending">Not sent yet</span>
                  ) : null}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {customerId && canEdit ? (
        <a className="fs-button fs-button--secondary fs-button--block" href={newEstimateHref(job.id)}>
          New estimate
        </a>
      ) : null}
    </section>
  );
}
