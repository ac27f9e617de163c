/**
 * Time on site on the phone: today's working time across the contractor's
 * jobs, and a running clock on a job in progress. Computed on this phone
 * from its own copy of the status history with the very function behind
 * the office's timesheet (`timeOnSite`), so it works offline and counts a
 * change made here before it is sent.
 */
import {
  formatMinutes,
  formatStopwatch,
  type JobAssignee,
  openStretch,
  type TimedStatusChange,
  type TimeOnSiteKind,
  timeOnSite,
} from '@fieldsync/domain';
import { useEffect, useState } from 'react';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { jobHref } from '../router';
import { todayIn } from '../shell/format';
import { useOrganization } from '../shell/use-organization';
import { useMyContractorId } from './use-contractor-data';
import './working-time.css';

const SECOND_MS = 1000;
/** While nothing is running, the totals only need to notice a new day. */
const IDLE_TICK_MS = 60_000;

/** The device clock, re-read every `intervalMs`; the interval is cleared on unmount or change. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

const KIND_WORDS: Record<TimeOnSiteKind, string> = {
  working: 'In progress',
  waiting: 'Waiting on materials',
  onHold: 'On hold',
};

interface Totals {
  workingMs: number;
  waitingMs: number;
  onHoldMs: number;
}

function todayTotals(input: {
  history: readonly TimedStatusChange[];
  assignments: readonly JobAssignee[];
  timeZone: string;
  nowMs: number;
}): Totals {
  const today = todayIn({ timeZone: input.timeZone }, input.nowMs);
  const totals: Totals = { workingMs: 0, waitingMs: 0, onHoldMs: 0 };
  for (const cell of timeOnSite({ ...input, from: today, to: today, now: input.nowMs })) {
    totals.workingMs += cell.workingMs;
    totals.waitingMs += cell.waitingMs;
    totals.onHoldMs += cell.onHoldMs;
  }
  return totals;
}

const MS_PER_MINUTE = 60_000;

/** "Waiting on materials 30m · On hold 1h", or nothing. */
function otherTime(totals: Totals): string {
  const parts: string[] = [];
  if (totals.waitingMs >= MS_PER_MINUTE)
    parts.push(`Waiting on materials ${formatMinutes(totals.waitingMs / MS_PER_MINUTE)}`);
  if (totals.onHoldMs >= MS_PER_MINUTE) parts.push(`On hold ${formatMinutes(totals.onHoldMs / MS_PER_MINUTE)}`);
  return parts.join(' · ');
}

/** Today's working time over all of the signed-in contractor's jobs (company day), ticking while a job runs. */
export function TodayWorkingTime() {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const contractorId = useMyContractorId();
  const data = useLiveQuery(async () => {
    if (!contractorId) return contractorId === null ? null : undefined;
    const assignments = await db.assignments.where('contractorId').equals(contractorId).toArray();
    const jobIds = [...new Set(assignments.map((assignment) => assignment.jobId))];
    const [history, jobs] = await Promise.all([
      jobIds.length ? db.jobStatusHistory.where('jobId').anyOf(jobIds).toArray() : [],
      db.jobs.bulkGet(jobIds),
    ]);
    return { assignments, history, jobs: jobs.flatMap((job) => (job ? [job] : [])) };
  }, [db, contractorId]);

  const running =
    data?.jobs.filter(
      (job) =>
        openStretch(data.history, job.id)?.kind === 'working' &&
        data.assignments.some((a) => a.jobId === job.id && a.contractorId === contractorId),
    ) ?? [];
  const nowMs = useNow(running.length > 0 ? SECOND_MS : IDLE_TICK_MS);

  if (!data) return null;
  const totals = todayTotals({ history: data.history, assignments: data.assignments, timeZone: clock.timeZone, nowMs });
  const other = otherTime(totals);

  return (
    <section className="ct-panel wt-panel" aria-labelledby="wt-today-title" data-testid="today-working-time">
      <div className="wt-row">
        <h2 id="wt-today-title">Working time today</h2>
        <span className="wt-clock" role="timer" aria-live="off">
          {formatStopwatch(totals.workingMs)}
        </span>
      </div>
      {other ? <p className="fs-muted">{other}</p> : null}
      {running.length > 0 ? (
        <p className="wt-running">
          <span className="wt-dot" aria-hidden="true" />
          Clock running on{' '}
          {running.map((job, index) => (
            <span key={job.id}>
              {index > 0 ? ', ' : null}
              <a href={jobHref(job.id)}>{job.title}</a>
            </span>
          ))}
        </p>
      ) : totals.workingMs + totals.waitingMs + totals.onHoldMs === 0 ? (
        <p className="fs-muted">No time on site yet today. The clock starts when you start a job.</p>
      ) : null}
    </section>
  );
}

/**
 * On a job's screen: how long the job has been in its current status (a
 * live `h:mm:ss` while it is in progress, waiting or on hold) and its time
 * today. Shows nothing for a job with no time today and no clock running.
 */
export function RunningClock({ jobId }: { jobId: string }) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const history = useLiveQuery(() => db.jobStatusHistory.where('jobId').equals(jobId).toArray(), [db, jobId]);
  const open = history ? openStretch(history, jobId) : null;
  const nowMs = useNow(open ? SECOND_MS : IDLE_TICK_MS);
  if (!history) return null;

  // The job's own time: whoever is on it, this screen is about the job.
  const totals = todayTotals({
    history,
    assignments: [{ jobId, contractorId: 'this-job', status: 'in_progress' }],
    timeZone: clock.timeZone,
    nowMs,
  });
  if (!open && totals.workingMs + totals.waitingMs + totals.onHoldMs < MS_PER_MINUTE) return null;
  const other = otherTime(totals);

  return (
    <section className="ct-panel wt-panel" aria-labelledby="wt-job-title" data-testid="running-clock">
      <h2 id="wt-job-title" className="wt-visually-hidden">
        Time on this job
      </h2>
      {open ? (
        <div className="wt-row">
          <span>{KIND_WORDS[open.kind]} for</span>
          <span className={`wt-clock wt-clock--${open.kind}`} role="timer" aria-live="off">
            {formatStopwatch(nowMs - open.sinceMs)}
          </span>
        </div>
      ) : null}
      <p className={open ? 'fs-muted' : undefined}>
        Worked on this job today: <strong>{formatMinutes(totals.workingMs / MS_PER_MINUTE)}</strong>
        {other ? ` · ${other}` : ''}
      </p>
    </section>
  );
}
