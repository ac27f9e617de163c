import { formatMinutes, type TimesheetRow } from '@fieldsync/domain';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { HttpError } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { downloadBlob } from '../shell/download';
import { addDays, compareInstants, formatDateTime, formatLocalDate, formatLongDay, todayIn } from '../shell/format';
import { JOB_STATUS_LABEL } from '../shell/labels';
import { useOrganization } from '../shell/use-organization';
import type { DispatcherRoute } from './route';
import { routeHref } from './route';
import { hasTime, type TimeTotals, timesheetWeek, weekStartOf } from './timesheet-week';
import { JobNumber } from './ui';
import './timesheets.css';

const timesheetResponseSchema = z.object({
  rows: z.array(
    z.object({
      date: z.string(),
      contractorId: z.string(),
      contractorName: z.string(),
      jobId: z.string(),
      jobNumber: z.string(),
      jobTitle: z.string(),
      workingMinutes: z.number(),
      waitingMinutes: z.number(),
      onHoldMinutes: z.number(),
    }),
  ),
});

type LoadState =
  | { kind: 'loading'; week: string }
  | { kind: 'loaded'; week: string; rows: TimesheetRow[] }
  | { kind: 'failed'; week: string; message: string };

type TimesheetsRoute = Extract<DispatcherRoute, { name: 'timesheets' }>;

/**
 * Timesheets: time on site per contractor for one week (Monday to Sunday,
 * company days), from the server's timesheet report so the grid and the
 * CSV export always agree. A cell opens that contractor's day: their jobs
 * and each job's status history. Needs a connection.
 */
export function TimesheetsView({ route }: { route: TimesheetsRoute }) {
  const client = useFieldsync();
  const { online } = useSyncState();
  const clock = useOrganization();
  const thisWeek = weekStartOf(todayIn(clock));
  const week = route.week ? weekStartOf(route.week) : thisWeek;
  const lastDay = addDays(week, 6);
  const [load, setLoad] = useState<LoadState>({ kind: 'loading', week });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is "Try again" asking for the same week anew.
  useEffect(() => {
    if (!online) return;
    const controller = new AbortController();
    setLoad({ kind: 'loading', week });
    client
      .request('GET', `/api/reports/timesheet?from=${week}&to=${addDays(week, 6)}`, { signal: controller.signal })
      .then((body) => {
        const parsed = timesheetResponseSchema.safeParse(body);
        setLoad(
          parsed.success
            ? { kind: 'loaded', week, rows: parsed.data.rows }
            : { kind: 'failed', week, message: 'The server sent a timesheet this screen cannot read.' },
        );
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const message =
          error instanceof HttpError && error.status === 404
            ? 'This server does not report timesheets yet.'
            : error instanceof HttpError
              ? error.message
              : 'Could not reach the server.';
        setLoad({ kind: 'failed', week, message });
      });
    return () => controller.abort();
  }, [client, week, online, attempt]);

  const rows = load.kind === 'loaded' && load.week === week ? load.rows : null;
  const grid = useMemo(() => (rows ? timesheetWeek(week, rows) : null), [rows, week]);

  const [exporting, setExporting] = useState(false);
  const [exportProblem, setExportProblem] = useState<string | null>(null);
  const exportCsv = useCallback(async () => {
    const to = addDays(week, 6);
    setExporting(true);
    setExportProblem(null);
    try {
      const csv = await client.fetchFile(`/api/reports/timesheet?from=${week}&to=${to}&format=csv`);
      downloadBlob(csv, `timesheet-${week}-${to}.csv`);
    } catch (error) {
      setExportProblem(
        error instanceof HttpError ? error.message : 'Could not reach the server. Export again once online.',
      );
    } finally {
      setExporting(false);
    }
  }, [client, week]);

  const weekHref = (monday: string) => routeHref({ name: 'timesheets', week: monday });
  const open = route.contractorId && route.day ? { contractorId: route.contractorId, day: route.day } : null;

  return (
    <section className="dsp-page ts-page" aria-labelledby="ts-title">
      <header className="dsp-page-head">
        <div>
          <h1 id="ts-title">Timesheets</h1>
          <p className="dsp-muted">
            Time on site from each job's status history: working (in progress), waiting on materials and on hold, in the
            company's time zone ({clock.timeZone}).
          </p>
        </div>
        <div className="dsp-toolbar">
          <button type="button" className="dsp-button" onClick={exportCsv} disabled={!rows || exporting}>
            {exporting ? 'Exporting…' : 'Export CSV'}
          </button>
          {exportProblem ? (
            <p className="dsp-form-error" role="alert">
              {exportProblem}
            </p>
          ) : null}
        </div>
      </header>

      <nav className="ts-weeknav" aria-label="Choose week">
        <a className="dsp-button" href={weekHref(addDays(week, -7))} aria-label="Previous week">
          ‹ Previous
        </a>
        <p className="ts-weeklabel" aria-live="polite">
          <strong>
            {formatLocalDate(week)} – {formatLocalDate(lastDay)}
          </strong>
          {week === thisWeek ? <span className="dsp-muted"> · this week</span> : null}
        </p>
        <a className="dsp-button" href={weekHref(addDays(week, 7))} aria-label="Next week">
          Next ›
        </a>
        {week !== thisWeek ? (
          <a className="ts-thisweek" href={routeHref({ name: 'timesheets' })}>
            Back to this week
          </a>
        ) : null}
      </nav>

      {!online ? (
        <div className="dsp-empty-state" role="status">
          <p className="dsp-empty-title">Needs a connection</p>
          <p className="dsp-muted">
            Timesheets come from the server. They will load by themselves when this computer is back online.
          </p>
        </div>
      ) : load.kind === 'failed' && load.week === week ? (
        <div className="dsp-empty-state" role="alert">
          <p className="dsp-empty-title">The timesheet could not be loaded</p>
          <p className="dsp-muted">{load.message}</p>
          <button type="button" className="dsp-button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      ) : !grid ? (
        <p className="dsp-muted" role="status" aria-busy="true">
          Loading the week…
        </p>
      ) : grid.contractors.length === 0 ? (
        <div className="dsp-empty-state" role="status">
          <p className="dsp-empty-title">No time recorded this week</p>
          <p className="dsp-muted">Time appears here once a contractor starts a job.</p>
        </div>
      ) : (
        <>
          <div className="ts-scroll">
            <table className="ts-grid">
              <caption className="dsp-visually-hidden">
                Working time per contractor and day, {formatLongDay(week)} to {formatLongDay(lastDay)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Contractor</th>
                  {grid.days.map((day) => (
                    <th key={day} scope="col" className="ts-num">
                      {formatLocalDate(day)}
                    </th>
                  ))}
                  <th scope="col" className="ts-num">
                    Week
                  </th>
                </tr>
              </thead>
              <tbody>
                {grid.contractors.map((contractor) => (
                  <tr key={contractor.contractorId}>
                    <th scope="row">{contractor.contractorName || 'Unnamed contractor'}</th>
                    {contractor.days.map((totals, index) => {
                      const day = grid.days[index] as string;
                      const selected = open?.contractorId === contractor.contractorId && open.day === day;
                      return (
                        <td key={day} className={`ts-num${selected ? ' ts-selected' : ''}`}>
                          {hasTime(totals) ? (
                            <a
                              className="ts-cell"
                              href={routeHref({
                                name: 'timesheets',
                                week,
                                contractorId: contractor.contractorId,
                                day,
                              })}
                              aria-current={selected ? 'true' : undefined}
                              aria-label={`${contractor.contractorName}, ${formatLongDay(day)}: ${describeTotals(totals)}`}
                            >
                              <TotalsText totals={totals} />
                            </a>
                          ) : (
                            <span className="ts-none">
                              <span aria-hidden="true">—</span>
                              <span className="dsp-visually-hidden">No time</span>
                            </span>
                          )}
                        </td>
                      );
                    })}
                    <td className="ts-num ts-total">
                      <TotalsText totals={contractor.total} />
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">All contractors</th>
                  {grid.dayTotals.map((totals, index) => (
                    <td key={grid.days[index]} className="ts-num">
                      {hasTime(totals) ? <TotalsText totals={totals} /> : <span className="ts-none">—</span>}
                    </td>
                  ))}
                  <td className="ts-num ts-total">
                    <TotalsText totals={grid.total} />
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
          <p className="dsp-muted ts-legend">
            Bold is working time; waiting on materials and on hold are listed under it when there is any.
          </p>
          {open && rows ? (
            <ContractorDay
              contractorId={open.contractorId}
              day={open.day}
              rows={rows.filter((row) => row.contractorId === open.contractorId && row.date === open.day)}
              closeHref={weekHref(week)}
            />
          ) : null}
        </>
      )}
    </section>
  );
}

function describeTotals(totals: TimeTotals): string {
  const parts = [`${formatMinutes(totals.working)} working`];
  if (totals.waiting > 0) parts.push(`${formatMinutes(totals.waiting)} waiting on materials`);
  if (totals.onHold > 0) parts.push(`${formatMinutes(totals.onHold)} on hold`);
  return parts.join(', ');
}

function TotalsText({ totals }: { totals: TimeTotals }) {
  return (
    <>
      <strong className="ts-working">{formatMinutes(totals.working)}</strong>
      {totals.waiting > 0 ? <span className="ts-extra">{formatMinutes(totals.waiting)} waiting</span> : null}
      {totals.onHold > 0 ? <span className="ts-extra">{formatMinutes(totals.onHold)} on hold</span> : null}
    </>
  );
}

const NO_HISTORY: never[] = [];

/** One contractor's day: each job's minutes and its status history (from this computer's copy). */
function ContractorDay({
  contractorId,
  day,
  rows,
  closeHref,
}: {
  contractorId: string;
  day: string;
  rows: TimesheetRow[];
  closeHref: string;
}) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  // Keyed by the ids' text: the rows array is new on every render.
  const jobKey = rows.map((row) => row.jobId).join(',');
  const history = useLiveQuery(
    () => db.jobStatusHistory.where('jobId').anyOf(jobKey.split(',')).toArray(),
    [db, jobKey],
    NO_HISTORY,
  );
  const name = rows[0]?.contractorName || 'This contractor';
  const total = rows.reduce(
    (sum, row) => ({
      working: sum.working + row.workingMinutes,
      waiting: sum.waiting + row.waitingMinutes,
      onHold: sum.onHold + row.onHoldMinutes,
    }),
    { working: 0, waiting: 0, onHold: 0 },
  );

  return (
    <section className="dsp-box ts-day" aria-labelledby="ts-day-title" data-contractor-id={contractorId}>
      <div className="dsp-box-head">
        <h2 id="ts-day-title">
          {name} · {formatLongDay(day)}
        </h2>
        <a className="dsp-button" href={closeHref}>
          Close
        </a>
      </div>
      {rows.length === 0 ? (
        <p className="dsp-muted">No time recorded on this day.</p>
      ) : (
        <>
          <p>{describeTotals(total)}.</p>
          <ul className="ts-jobs">
            {rows.map((row) => {
              const changes = history
                .filter((entry) => entry.jobId === row.jobId)
                .sort((a, b) => compareInstants(a.occurredAt, b.occurredAt));
              return (
                <li key={row.jobId} className="ts-job">
                  <div className="ts-job-head">
                    <a href={routeHref({ name: 'job', jobId: row.jobId })}>
                      <JobNumber jobNumber={row.jobNumber} /> {row.jobTitle}
                    </a>
                    <span>
                      {describeTotals({
                        working: row.workingMinutes,
                        waiting: row.waitingMinutes,
                        onHold: row.onHoldMinutes,
                      })}
                    </span>
                  </div>
                  {changes.length === 0 ? (
                    <p className="dsp-muted">This job's history is not on this computer yet.</p>
                  ) : (
                    <ol className="ts-history" aria-label={`Status history of ${row.jobNumber}`}>
                      {changes.map((entry) => (
                        <li key={entry.id}>
                          <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt, clock)}</time>{' '}
                          {entry.fromStatus ? `${JOB_STATUS_LABEL[entry.fromStatus]} → ` : ''}
                          <strong>{JOB_STATUS_LABEL[entry.toStatus]}</strong>
                          {entry.reason ? <span className="dsp-muted"> · {entry.reason}</span> : null}
                          {Date.parse(entry.recordedAt) - Date.parse(entry.occurredAt) > LATE_SYNC_MS ? (
                            <span className="dsp-muted"> · sent {formatDateTime(entry.recordedAt, clock)}</span>
                          ) : null}
                        </li>
                      ))}
                    </ol>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

/** A change that reached the server this much later than it happened was made offline: say when it arrived. */
const LATE_SYNC_MS = 15 * 60_000;
