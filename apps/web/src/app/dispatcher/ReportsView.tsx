import { formatCents } from '@fieldsync/domain';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import type { z } from 'zod';
import { HttpError } from '../../sync';
import { useFieldsync, useSyncState } from '../../sync/react';
import { useOrganization } from '../shell/use-organization';
import { todayIn } from './format';
import {
  acceptanceRateText,
  type EstimatesReport,
  estimatesReportIsEmpty,
  estimatesReportSchema,
  formatMonth,
  monthRangeDays,
  type RevenueReport,
  reportMonths,
  revenueReportSchema,
} from './reports';
import { type DispatcherRoute, routeHref } from './route';
import './estimates.css';

type ReportsRoute = Extract<DispatcherRoute, { name: 'reports' }>;

type Load<T> =
  | { kind: 'loading'; path: string }
  | { kind: 'loaded'; path: string; report: T }
  | { kind: 'failed'; path: string; message: string };

/**
 * One server report, asked for again when the path changes, the computer
 * comes back online, or the person asks to try again. Reports are the
 * server's: nothing is kept on this computer.
 */
function useReport<T>(path: string, schema: z.ZodType<T>, what: string): { load: Load<T>; retry: () => void } {
  const client = useFieldsync();
  const { online } = useSyncState();
  const [load, setLoad] = useState<Load<T>>({ kind: 'loading', path });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is "Try again" asking for the same report anew.
  useEffect(() => {
    if (!online) return;
    const controller = new AbortController();
    setLoad({ kind: 'loading', path });
    client
      .request('GET', path, { signal: controller.signal })
      .then((body) => {
        const parsed = schema.safeParse(body);
        setLoad(
          parsed.success
            ? { kind: 'loaded', path, report: parsed.data }
            : { kind: 'failed', path, message: `The server sent ${what} this screen cannot read.` },
        );
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const message =
          error instanceof HttpError && error.status === 404
            ? `This server does not report ${what} yet.`
            : error instanceof HttpError
              ? error.message
              : 'Could not reach the server.';
        setLoad({ kind: 'failed', path, message });
      });
    return () => controller.abort();
  }, [client, path, online, attempt, schema, what]);

  // A load for another range is not this one's: show "loading" until the new one answers.
  const current: Load<T> = load.path === path ? load : { kind: 'loading', path };
  return { load: current, retry: () => setAttempt((n) => n + 1) };
}

/**
 * Reports for the office over a range of months: what became of the
 * estimates sent (accepted, turned down, lapsed) and the revenue of each
 * contractor's jobs. Both come from the server and need a connection.
 */
export function ReportsView({ route, navigate }: { route: ReportsRoute; navigate: (route: DispatcherRoute) => void }) {
  const clock = useOrganization();
  const { online } = useSyncState();
  const range = reportMonths(route, todayIn(clock));
  const days = monthRangeDays(range.from, range.to);
  const estimates = useReport(
    `/api/reports/estimates?from=${range.from}&to=${range.to}`,
    estimatesReportSchema,
    'estimate figures',
  );
  const revenue = useReport(
    `/api/reports/revenue?from=${days.from}&to=${days.to}`,
    revenueReportSchema,
    'revenue figures',
  );

  return (
    <section className="dsp-page" aria-labelledby="est-reports-title">
      <header className="dsp-page-head">
        <div>
          <h1 id="est-reports-title">Reports</h1>
          <p className="dsp-muted">
            {formatMonth(range.from)} to {formatMonth(range.to)}, by the company's calendar ({clock.timeZone}).
          </p>
        </div>
      </header>

      <RangeForm key={`${range.from}/${range.to}`} from={range.from} to={range.to} navigate={navigate} />
      {route.from ? (
        <p className="est-toolbar-note">
          <a href={routeHref({ name: 'reports' })}>Back to the last six months</a>
        </p>
      ) : null}

      {!online ? (
        <div className="dsp-empty-state" role="status">
          <p className="dsp-empty-title">Needs a connection</p>
          <p className="dsp-muted">
            Reports come from the server. They will load by themselves when this computer is back online.
          </p>
        </div>
      ) : (
        <>
          <section className="est-report" aria-labelledby="est-report-estimates-h">
            <h2 id="est-report-estimates-h">Estimates</h2>
            <ReportBody load={estimates.load} retry={estimates.retry} title="The estimate figures">
              {(report) => <EstimatesTable report={report} />}
            </ReportBody>
          </section>
          <section className="est-report" aria-labelledby="est-report-revenue-h">
            <h2 id="est-report-revenue-h">Revenue by contractor</h2>
            <ReportBody load={revenue.load} retry={revenue.retry} title="The revenue figures">
              {(report) => <RevenueTable report={report} />}
            </ReportBody>
          </section>
        </>
      )}
    </section>
  );
}

function ReportBody<T>({
  load,
  retry,
  title,
  children,
}: {
  load: Load<T>;
  retry: () => void;
  title: string;
  children: (report: T) => ReactNode;
}) {
  if (load.kind === 'loading') {
    return (
      <p className="dsp-muted" role="status" aria-busy="true">
        Loading…
      </p>
    );
  }
  if (load.kind === 'failed') {
    return (
      <div className="dsp-empty-state" role="alert">
        <p className="dsp-empty-title">{title} could not be loaded</p>
        <p className="dsp-muted">{load.message}</p>
        <button type="button" className="dsp-button" onClick={retry}>
          Try again
        </button>
      </div>
    );
  }
  return <>{children(load.report)}</>;
}

function EstimatesTable({ report }: { report: EstimatesReport }) {
  if (estimatesReportIsEmpty(report)) {
    return (
      <div className="dsp-empty-state" role="status">
        <p className="dsp-empty-title">No estimates in these months</p>
        <p className="dsp-muted">Figures appear once estimates are sent to customers.</p>
      </div>
    );
  }
  return (
    <div className="est-table-wrap">
      <table className="est-table est-cards" data-testid="report-estimates">
        <caption className="dsp-visually-hidden">Estimates per month</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col" className="est-num">
              Sent
            </th>
            <th scope="col" className="est-num">
              Accepted
            </th>
            <th scope="col" className="est-num">
              Rejected
            </th>
            <th scope="col" className="est-num">
              Expired
            </th>
            <th scope="col" className="est-num">
              Acceptance rate
            </th>
          </tr>
        </thead>
        <tbody>
          {report.months.map((month) => (
            <tr key={month.month}>
              <th scope="row" className="est-row-title">
                {formatMonth(month.month)}
              </th>
              <td data-label="Sent" className="est-num">
                {month.sent.toLocaleString()}
              </td>
              <td data-label="Accepted" className="est-num">
                {month.accepted.toLocaleString()}
              </td>
              <td data-label="Rejected" className="est-num">
                {month.rejected.toLocaleString()}
              </td>
              <td data-label="Expired" className="est-num">
                {month.expired.toLocaleString()}
              </td>
              <td data-label="Acceptance rate" className="est-num">
                <span>
                  {month.acceptanceRate !== null ? (
                    <span className="est-rate-bar" aria-hidden="true">
                      <span style={{ width: `${Math.round(Math.max(0, Math.min(1, month.acceptanceRate)) * 100)}%` }} />
                    </span>
                  ) : null}
                  {acceptanceRateText(month.acceptanceRate)}
                  {month.acceptanceRate === null ? (
                    <span className="dsp-visually-hidden"> (no answers yet)</span>
                  ) : null}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RevenueTable({ report }: { report: RevenueReport }) {
  const money = (cents: number) => formatCents(cents, report.currency);
  if (report.contractors.length === 0) {
    return (
      <div className="dsp-empty-state" role="status">
        <p className="dsp-empty-title">No revenue in these months</p>
        <p className="dsp-muted">Revenue counts completed jobs with an agreed or actual cost.</p>
      </div>
    );
  }
  return (
    <div className="est-table-wrap">
      <table className="est-table est-cards" data-testid="report-revenue">
        <caption className="dsp-visually-hidden">Revenue by contractor</caption>
        <thead>
          <tr>
            <th scope="col">Contractor</th>
            <th scope="col" className="est-num">
              Jobs
            </th>
            <th scope="col" className="est-num">
              Revenue
            </th>
          </tr>
        </thead>
        <tbody>
          {report.contractors.map((contractor) => (
            <tr key={contractor.contractorId}>
              <th scope="row" className="est-row-title">
                <a href={routeHref({ name: 'contractors', contractorId: contractor.contractorId })}>
                  {contractor.name || 'Unnamed contractor'}
                </a>
              </th>
              <td data-label="Jobs" className="est-num">
                {contractor.jobs.toLocaleString()}
              </td>
              <td data-label="Revenue" className="est-num">
                {money(contractor.revenueCents)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" className="est-row-title">
              All contractors
            </th>
            <td data-label="Jobs" className="est-num">
              {report.contractors.reduce((sum, contractor) => sum + contractor.jobs, 0).toLocaleString()}
            </td>
            <td data-label="Revenue" className="est-num">
              {money(report.totalCents)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Two months and "Show": the range goes into the address, so it can be shared and survives a reload. */
function RangeForm({ from, to, navigate }: { from: string; to: string; navigate: (route: DispatcherRoute) => void }) {
  const [typedFrom, setTypedFrom] = useState(from);
  const [typedTo, setTypedTo] = useState(to);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const month = /^\d{4}-(0[1-9]|1[0-2])$/;
    if (!month.test(typedFrom) || !month.test(typedTo)) {
      setProblem('Choose both months.');
      return;
    }
    if (typedFrom > typedTo) {
      setProblem('The first month comes before the last one.');
      return;
    }
    setProblem(null);
    navigate({ name: 'reports', from: typedFrom, to: typedTo });
  };
  return (
    <form className="est-range" onSubmit={submit} noValidate aria-label="Months to report">
      <label>
        From
        <input type="month" value={typedFrom} onChange={(event) => setTypedFrom(event.target.value)} />
      </label>
      <label>
        To
        <input type="month" value={typedTo} onChange={(event) => setTypedTo(event.target.value)} />
      </label>
      <button type="submit" className="dsp-button">
        Show
      </button>
      {problem ? (
        <p className="dsp-error" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
