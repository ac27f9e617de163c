import type { JobStatus } from '@fieldsync/domain';
import { useMemo } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { JOB_STATUS_LABEL } from '../shell/labels';
import { useOrganization } from '../shell/use-organization';
import { CustomerEstimatesSection, CustomerTotalsSection } from './CustomerEstimatesSection';
import { useContractors, useCustomerRecord, useUserName } from './dispatcher-data';
import {
  activityDetailsText,
  activityDetailValue,
  type CompanyClock,
  formatDateTime,
  formatLocalDate,
  humanize,
} from './format';
import { routeHref } from './route';
import { JobNumber, PendingMark, StatusBadge } from './ui';

/** How many history entries show before "Show all" is needed; a long-standing customer can have hundreds. */
const HISTORY_SHOWN = 50;

// The status history has the richer entry (who, when, reason); the activity row would only repeat it.
const REPEATED_ACTIVITY = new Set(['job.status_changed']);

type HistoryEntry = {
  id: string;
  at: string;
  jobId: string;
  by: string | null;
  what: string;
  detail: string;
  pending: boolean;
};

/**
 * One customer: contact details and notes, their totals (jobs, what they
 * spent), their estimates, their jobs newest first (status, date, who is
 * booked) and the history of those jobs, as far as it is on this device.
 * Editing is one link away.
 */
export function CustomerPage({ customerId }: { customerId: string }) {
  const { db } = useFieldsync();
  const customer = useLiveQuery(
    () => db.customers.get(customerId).then((row) => row ?? null),
    [db, customerId],
    undefined,
  );
  if (customer === undefined) return <p className="dsp-muted">Loading…</p>;
  if (customer === null) {
    return (
      <section className="dsp-page">
        <a className="dsp-back" href={routeHref({ name: 'board' })}>
          ← Jobs
        </a>
        <p className="dsp-empty">This customer is not on this device (they may have been removed).</p>
      </section>
    );
  }
  return <CustomerRecord customer={customer} />;
}

function CustomerRecord({ customer }: { customer: LocalRow<'customers'> }) {
  const clock = useOrganization();
  const userName = useUserName();
  const contractors = useContractors();
  const { jobs, assignments, statusChanges, activity } = useCustomerRecord(customer.id);

  const newestFirst = useMemo(
    () =>
      [...jobs].sort(
        (a, b) => b.createdAt.localeCompare(a.createdAt) || (b.desiredDate ?? '').localeCompare(a.desiredDate ?? ''),
      ),
    [jobs],
  );
  const jobById = useMemo(() => new Map(jobs.map((job) => [job.id, job])), [jobs]);

  /** Who is booked on each job: the live assignments, else whoever completed it. */
  const crewByJob = useMemo(() => {
    const names = new Map(contractors.map((contractor) => [contractor.id, contractor.name]));
    const crew = new Map<string, string[]>();
    for (const assignment of assignments) {
      if (assignment.status === 'cancelled' || assignment.status === 'declined') continue;
      const list = crew.get(assignment.jobId) ?? [];
      list.push(names.get(assignment.contractorId) ?? 'Unknown contractor');
      crew.set(assignment.jobId, list);
    }
    return crew;
  }, [assignments, contractors]);

  const history = useMemo<HistoryEntry[]>(() => {
    const statusLabel = (status: JobStatus | null) => (status ? JOB_STATUS_LABEL[status] : '');
    const entries: HistoryEntry[] = [
      ...statusChanges.map((row) => ({
        id: `status-${row.id}`,
        at: row.occurredAt,
        jobId: row.jobId,
        by: row.changedBy,
        what: row.fromStatus
          ? `${statusLabel(row.fromStatus)} → ${statusLabel(row.toStatus)}`
          : `Created as ${statusLabel(row.toStatus)}`,
        detail: row.reason ? `“${row.reason}”` : '',
        pending: row._pendingSeq !== undefined,
      })),
      ...activity
        .filter((row) => !REPEATED_ACTIVITY.has(row.action))
        .map((row) => ({
          id: `activity-${row.id}`,
          at: row.createdAt,
          jobId: row.jobId ?? '',
          by: row.userId,
          what: humanize(row.action.replace('.', ' ').replaceAll('_', ' ')),
          detail: activityDetailsText(row.details, (value) => activityDetailValue(value, clock)),
          pending: false,
        })),
    ];
    return entries.sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
  }, [statusChanges, activity, clock]);

  return (
    <section className="dsp-page dsp-customer-page" aria-labelledby="dsp-customer-title">
      <header className="dsp-page-head">
        <div>
          <a className="dsp-back" href={routeHref({ name: 'board' })}>
            ← Jobs
          </a>
          <h1 id="dsp-customer-title">
            {customer.name} <PendingMark pending={customer._pendingSeq} />
          </h1>
          {customer.archived ? <p className="dsp-muted">Archived customer</p> : null}
        </div>
        <div className="dsp-toolbar">
          <a className="dsp-button" href={routeHref({ name: 'customer', customerId: customer.id, panel: 'edit' })}>
            Edit customer
          </a>
          <a className="dsp-button dsp-button-primary" href={routeHref({ name: 'new-job', customerId: customer.id })}>
            New job for this customer
          </a>
        </div>
      </header>

      <div className="dsp-customer-grid">
        <section className="dsp-box" aria-labelledby="dsp-customer-contact-h">
          <h2 id="dsp-customer-contact-h">Contact</h2>
          <dl className="dsp-dl">
            <dt>Phone</dt>
            <dd>{customer.phone ? <a href={`tel:${customer.phone}`}>{customer.phone}</a> : '—'}</dd>
            <dt>Email</dt>
            <dd>{customer.email ? <a href={`mailto:${customer.email}`}>{customer.email}</a> : '—'}</dd>
            <dt>Address</dt>
            <dd>{customer.address ?? '—'}</dd>
            <dt>Notes</dt>
            <dd className="dsp-pre">{customer.notes || <span className="dsp-muted">No notes</span>}</dd>
          </dl>
        </section>

        <CustomerTotalsSection jobs={jobs} />
        <CustomerEstimatesSection customer={customer} />

        <section className="dsp-box" aria-labelledby="dsp-customer-jobs-h">
          <h2 id="dsp-customer-jobs-h">
            Jobs <span className="dsp-count">{jobs.length.toLocaleString()}</span>
          </h2>
          {newestFirst.length === 0 ? (
            <p className="dsp-muted">
              No jobs for {customer.name} yet.{' '}
              <a href={routeHref({ name: 'new-job', customerId: customer.id })}>Create the first one</a>
            </p>
          ) : (
            <ul className="dsp-customer-jobs">
              {newestFirst.map((job) => (
                <li key={job.id} className="dsp-customer-job">
                  <a className="dsp-customer-job-title" href={routeHref({ name: 'job', jobId: job.id })}>
                    {job.title}
                  </a>
                  <span className="dsp-customer-job-meta">
                    <JobNumber jobNumber={job.jobNumber} /> <StatusBadge status={job.status} />{' '}
                    <span>{formatLocalDate(job.desiredDate)}</span>
                    <span>{crewByJob.get(job.id)?.join(', ') ?? 'Nobody booked'}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="dsp-box dsp-customer-history" aria-labelledby="dsp-customer-history-h">
          <h2 id="dsp-customer-history-h">History</h2>
          {history.length === 0 ? (
            <p className="dsp-muted">
              {jobs.length === 0
                ? 'Nothing has happened for this customer yet.'
                : 'No status changes or activity for these jobs on this device.'}
            </p>
          ) : (
            <HistoryList entries={history} jobById={jobById} userName={userName} clock={clock} />
          )}
        </section>
      </div>
    </section>
  );
}

function HistoryList({
  entries,
  jobById,
  userName,
  clock,
}: {
  entries: HistoryEntry[];
  jobById: Map<string, LocalRow<'jobs'>>;
  userName: (id: string | null) => string;
  clock: CompanyClock;
}) {
  const shown = entries.slice(0, HISTORY_SHOWN);
  return (
    <>
      <ol className="dsp-timeline" aria-label="Customer history">
        {shown.map((entry) => {
          const job = jobById.get(entry.jobId);
          return (
            <li key={entry.id} className="dsp-tl">
              <span className="dsp-tl-dot" aria-hidden="true" />
              <div>
                <p className="dsp-tl-title">
                  {entry.what}
                  {entry.pending ? <span className="dsp-pending"> · not sent</span> : null}
                </p>
                <p className="dsp-tl-meta">
                  {job ? <a href={routeHref({ name: 'job', jobId: job.id })}>{job.title}</a> : 'A job'} ·{' '}
                  {userName(entry.by)} · {formatDateTime(entry.at, clock)}
                  {entry.detail ? ` · ${entry.detail}` : ''}
                </p>
              </div>
            </li>
          );
        })}
      </ol>
      {entries.length > shown.length ? (
        <p className="dsp-muted">
          The {shown.length} most recent of {entries.length.toLocaleString()} entries; each job's timeline has the rest.
        </p>
      ) : null}
    </>
  );
}
