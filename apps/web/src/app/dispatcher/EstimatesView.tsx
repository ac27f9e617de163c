import { ESTIMATE_STATUSES } from '@fieldsync/domain';
import { type FormEvent, useMemo, useState } from 'react';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { useOrganization } from '../shell/use-organization';
import { useCustomersById, useUsersById } from './dispatcher-data';
import {
  ESTIMATE_STATUS_LABEL,
  type EstimateStatusFilter,
  estimateListItems,
  estimateStatusCounts,
} from './estimate-list';
import { EstimateNumber, EstimateStatusChip, ExpiresSoonMark } from './estimate-ui';
import { formatLocalDate, todayIn } from './format';
import { type DispatcherRoute, routeHref } from './route';
import './estimates.css';

const FILTERS: readonly EstimateStatusFilter[] = ['all', ...ESTIMATE_STATUSES];

/**
 * Every estimate on this computer: the open ones (drafts and sent) first,
 * soonest deadline first, with sent ones about to lapse flagged. A status
 * filter narrows it; a new estimate starts from a customer.
 */
export function EstimatesView({ navigate }: { navigate: (route: DispatcherRoute) => void }) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const estimates = useLiveQuery(() => db.estimates.toArray(), [db], undefined);
  const customers = useCustomersById();
  const users = useUsersById();
  const [status, setStatus] = useState<EstimateStatusFilter>('all');
  const today = todayIn(clock);

  const items = useMemo(
    () =>
      estimateListItems(estimates ?? [], {
        today,
        status,
        customerName: (id) => customers.get(id)?.name,
        userName: (id) => users.get(id)?.name,
      }),
    [estimates, today, status, customers, users],
  );
  const counts = useMemo(() => estimateStatusCounts(estimates ?? []), [estimates]);

  return (
    <section className="dsp-page" aria-labelledby="est-list-title">
      <header className="dsp-page-head">
        <div>
          <h1 id="est-list-title">Estimates</h1>
          <p className="dsp-muted">
            Priced offers to customers. Drafts and sent estimates come first, the soonest last valid day at the top.
          </p>
        </div>
        <NewEstimateFor customers={[...customers.values()]} navigate={navigate} />
      </header>

      {estimates === undefined ? (
        <p className="dsp-muted" role="status" aria-busy="true">
          Loading…
        </p>
      ) : counts.all === 0 ? (
        <div className="dsp-empty-state" role="status">
          <p className="dsp-empty-title">No estimates yet</p>
          <p className="dsp-muted">
            Draw one up from a customer's page with “New estimate”, or a contractor can price the work on site. It shows
            here as soon as it is on this computer.
          </p>
        </div>
      ) : (
        <>
          <fieldset className="dsp-chips est-toolbar-note" aria-label="Show estimates that are">
            {FILTERS.map((filter) => (
              <button
                key={filter}
                type="button"
                className="dsp-chip"
                aria-pressed={status === filter}
                onClick={() => setStatus(filter)}
              >
                {filter === 'all' ? 'All' : ESTIMATE_STATUS_LABEL[filter]} ({counts[filter].toLocaleString()})
              </button>
            ))}
          </fieldset>
          {items.length === 0 ? (
            <div className="dsp-empty-state" role="status">
              <p className="dsp-empty-title">No estimates here</p>
              <p className="dsp-muted">
                None of the estimates on this computer is{' '}
                {status === 'all' ? 'listed' : ESTIMATE_STATUS_LABEL[status].toLowerCase()}.
              </p>
              <button type="button" className="dsp-button" onClick={() => setStatus('all')}>
                Show all estimates
              </button>
            </div>
          ) : (
            <div className="est-table-wrap">
              <table className="est-table est-cards" data-testid="estimates-table">
                <caption className="dsp-visually-hidden">
                  Estimates{status === 'all' ? '' : ` that are ${ESTIMATE_STATUS_LABEL[status].toLowerCase()}`}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col">Status</th>
                    <th scope="col">Number</th>
                    <th scope="col">Customer</th>
                    <th scope="col" className="est-num">
                      Total
                    </th>
                    <th scope="col">Valid until</th>
                    <th scope="col">Created by</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.id} data-estimate-id={item.id}>
                      <td className="est-row-title">
                        <a href={routeHref({ name: 'estimate', estimateId: item.id })}>{item.title}</a>
                      </td>
                      <td data-label="Status">
                        <span>
                          <EstimateStatusChip status={item.status} /> {item.expiresSoon ? <ExpiresSoonMark /> : null}
                        </span>
                      </td>
                      <td data-label="Number">
                        <EstimateNumber number={item.numberPending ? '' : item.numberText} />
                      </td>
                      <td data-label="Customer">
                        <a href={routeHref({ name: 'customer', customerId: item.customerId })}>{item.customerName}</a>
                      </td>
                      <td data-label="Total" className="est-num">
                        {item.totalText}
                      </td>
                      <td data-label="Valid until">{formatLocalDate(item.validUntil)}</td>
                      <td data-label="Created by">{item.createdByName}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** "New estimate for …": a customer to price for, then the editor. */
function NewEstimateFor({
  customers,
  navigate,
}: {
  customers: { id: string; name: string; archived: boolean; deletedAt: string | null }[];
  navigate: (route: DispatcherRoute) => void;
}) {
  const [customerId, setCustomerId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const choices = useMemo(
    () =>
      customers
        .filter((customer) => !customer.archived && !customer.deletedAt)
        .sort((a, b) => a.name.localeCompare(b.name)),
    [customers],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!customerId) {
      setProblem('Choose the customer the estimate is for.');
      return;
    }
    navigate({ name: 'new-estimate', customerId });
  };
  if (choices.length === 0) return null;
  return (
    <form className="dsp-toolbar est-new-for" onSubmit={submit} noValidate>
      <label className="dsp-visually-hidden" htmlFor="est-new-customer">
        Customer for a new estimate
      </label>
      <select
        id="est-new-customer"
        className="dsp-button"
        value={customerId}
        aria-invalid={Boolean(problem)}
        aria-describedby={problem ? 'est-new-customer-error' : undefined}
        onChange={(event) => {
          setCustomerId(event.target.value);
          setProblem(null);
        }}
      >
        <option value="">Choose a customer…</option>
        {choices.map((customer) => (
          <option key={customer.id} value={customer.id}>
            {customer.name}
          </option>
        ))}
      </select>
      <button type="submit" className="dsp-button dsp-button-primary">
        New estimate
      </button>
      {problem ? (
        <p id="est-new-customer-error" className="dsp-error" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
