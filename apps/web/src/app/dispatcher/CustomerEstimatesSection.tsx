import { customerTotals, formatCents } from '@fieldsync/domain';
import { useMemo } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { useOrganization } from '../shell/use-organization';
import { estimateListItems } from './estimate-list';
import { EstimateNumber, EstimateStatusChip, ExpiresSoonMark } from './estimate-ui';
import { formatLocalDate, todayIn } from './format';
import { routeHref } from './route';
import './estimates.css';

/**
 * What a customer has had done and paid: their jobs (cancelled ones aside)
 * and what the completed ones came to (`customerTotals`), in the company's currency.
 */
export function CustomerTotalsSection({ jobs }: { jobs: readonly LocalRow<'jobs'>[] }) {
  const clock = useOrganization();
  const currency = clock.organization?.currency ?? 'USD';
  const totals = useMemo(
    () =>
      customerTotals(
        jobs.map((job) => ({
          status: job.status,
          deletedAt: job.deletedAt,
          // A row pulled before jobs had costs has none.
          agreedCostCents: job.agreedCostCents ?? null,
          actualCostCents: job.actualCostCents ?? null,
        })),
      ),
    [jobs],
  );
  return (
    <section className="dsp-box" aria-labelledby="est-customer-totals-h" data-testid="customer-totals">
      <h2 id="est-customer-totals-h">Totals</h2>
      <dl className="est-figures">
        <div>
          <dt>Jobs</dt>
          <dd>{totals.jobCount.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Completed</dt>
          <dd>{totals.completedCount.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Total spent</dt>
          <dd>{formatCents(totals.totalSpentCents, currency)}</dd>
        </div>
      </dl>
      <p className="dsp-hint">
        Cancelled jobs are not counted. Total spent is what the completed jobs came to: their actual cost, else the
        agreed one.
      </p>
    </section>
  );
}

/** A customer's estimates, open ones first, and the way to draw up a new one. */
export function CustomerEstimatesSection({ customer }: { customer: LocalRow<'customers'> }) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const today = todayIn(clock);
  const estimates = useLiveQuery(
    () => db.estimates.where('customerId').equals(customer.id).toArray(),
    [db, customer.id],
    undefined,
  );
  const items = useMemo(
    () =>
      estimateListItems(estimates ?? [], {
        today,
        status: 'all',
        customerName: () => customer.name,
        userName: () => undefined,
      }),
    [estimates, today, customer.name],
  );
  const newHref = routeHref({ name: 'new-estimate', customerId: customer.id });
  return (
    <section className="dsp-box" aria-labelledby="est-customer-estimates-h" data-testid="customer-estimates">
      <div className="dsp-box-head">
        <h2 id="est-customer-estimates-h">
          Estimates <span className="dsp-count">{items.length.toLocaleString()}</span>
        </h2>
        <a className="dsp-button dsp-button-small" href={newHref}>
          New estimate
        </a>
      </div>
      {estimates === undefined ? (
        <p className="dsp-muted" aria-busy="true">
          Loading…
        </p>
      ) : items.length === 0 ? (
        <p className="dsp-muted">No estimates for {customer.name} yet.</p>
      ) : (
        <ul className="est-mini-list">
          {items.map((item) => (
            <li key={item.id}>
              <a className="dsp-customer-job-title" href={routeHref({ name: 'estimate', estimateId: item.id })}>
                {item.title}
              </a>
              <span className="est-mini-meta">
                <EstimateStatusChip status={item.status} />
                {item.expiresSoon ? <ExpiresSoonMark /> : null}
                <strong>{item.totalText}</strong>
                <span>Valid until {formatLocalDate(item.validUntil)}</span>
                <EstimateNumber number={item.numberPending ? '' : item.numberText} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
