import {
  addDaysToLocalDate,
  isLiveAssignment,
  minutesOfDay,
  utcToLocalDateTime,
  weekdayOfLocalDate,
} from '@fieldsync/domain';
import { useMemo, useState } from 'react';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { useOrganization } from '../shell/use-organization';
import { useContractors, useJobs, useLiveAssignmentsByJob } from './dispatcher-data';
import { formatHourMark, formatLocalDate, formatTime, formatWallTime, humanize, todayIn } from './format';
import { routeHref } from './route';
import { PriorityTag } from './ui';
import { VirtualList } from './VirtualList';

const EMPTY: never[] = [];
/** The visible part of each day: 6 AM to 8 PM covers nearly every crew's hours. */
const DAY_START = 6 * 60;
const DAY_END = 20 * 60;
const DAY_SPAN = DAY_END - DAY_START;

function clampMinutes(minutes: number): number {
  return Math.max(DAY_START, Math.min(DAY_END, minutes));
}

/**
 * A day or week timeline per contractor: their working hours as bands and
 * their live assignments as blocks, in the organization's time zone; jobs
 * nobody is on yet wait in a tray.
 */
export function ScheduleView() {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const { timeZone } = clock;
  const contractors = useContractors();
  const jobs = useJobs();
  const assignmentsByJob = useLiveAssignmentsByJob();
  const workingHours = useLiveQuery(() => db.workingHours.toArray(), [db], EMPTY);
  const [mode, setMode] = useState<'day' | 'week'>('day');
  const [anchor, setAnchor] = useState(() => todayIn(clock));

  const days = useMemo(() => {
    if (mode === 'day') return [anchor];
    // Weeks start on Monday, as crews plan them.
    const monday = addDaysToLocalDate(anchor, -((weekdayOfLocalDate(anchor) + 6) % 7));
    return Array.from({ length: 7 }, (_, index) => addDaysToLocalDate(monday, index));
  }, [anchor, mode]);

  const jobById = useMemo(() => new Map(jobs.map((job) => [job.id, job])), [jobs]);
  const hoursByContractor = useMemo(() => {
    const map = new Map<string, typeof workingHours>();
    for (const row of workingHours) map.set(row.contractorId, [...(map.get(row.contractorId) ?? []), row]);
    return map;
  }, [workingHours]);

  const blocksByContractor = useMemo(() => {
    const dayIndex = new Map(days.map((day, index) => [day, index]));
    const map = new Map<
      string,
      Array<{ id: string; jobId: string; left: number; width: number; status: string; start: string; end: string }>
    >();
    for (const list of assignmentsByJob.values()) {
      for (const a of list) {
        if (!isLiveAssignment(a.status)) continue;
        const start = utcToLocalDateTime(a.scheduledStart, timeZone);
        const end = utcToLocalDateTime(a.scheduledEnd, timeZone);
        const index = dayIndex.get(start.date);
        if (index === undefined) continue;
        const from = clampMinutes(minutesOfDay(start.time));
        const to = end.date === start.date ? clampMinutes(minutesOfDay(end.time)) : DAY_END;
        if (to <= from) continue;
        const left = (index + (from - DAY_START) / DAY_SPAN) / days.length;
        const width = (to - from) / DAY_SPAN / days.length;
        const entry = {
          id: a.id,
          jobId: a.jobId,
          left,
          width,
          status: a.status,
          start: a.scheduledStart,
          end: a.scheduledEnd,
        };
        map.set(a.contractorId, [...(map.get(a.contractorId) ?? []), entry]);
      }
    }
    return map;
  }, [assignmentsByJob, days, timeZone]);

  const tray = useMemo(
    () =>
      jobs
        .filter((job) => job.status === 'open' && !assignmentsByJob.has(job.id))
        .sort((a, b) => (a.desiredDate ?? '9999').localeCompare(b.desiredDate ?? '9999')),
    [jobs, assignmentsByJob],
  );

  const step = mode === 'day' ? 1 : 7;
  const hours = Array.from({ length: DAY_SPAN / 60 + 1 }, (_, index) => DAY_START / 60 + index);
  const label =
    mode === 'day'
      ? formatLocalDate(anchor)
      : `${formatLocalDate(days[0])} – ${formatLocalDate(days[days.length - 1])}`;

  return (
    <section className="dsp-page dsp-schedule" aria-labelledby="dsp-schedule-title">
      <header className="dsp-page-head">
        <div>
          <h1 id="dsp-schedule-title">Schedule</h1>
          <p className="dsp-muted">
            {label} · times in {timeZone.replaceAll('_', ' ')}
          </p>
        </div>
        <div className="dsp-toolbar">
          <fieldset className="dsp-segmented" aria-label="Range">
            <button type="button" aria-pressed={mode === 'day'} onClick={() => setMode('day')}>
              Day
            </button>
            <button type="button" aria-pressed={mode === 'week'} onClick={() => setMode('week')}>
              Week
            </button>
          </fieldset>
          <button type="button" className="dsp-button" onClick={() => setAnchor(addDaysToLocalDate(anchor, -step))}>
            <span aria-hidden="true">←</span> Previous
          </button>
          <button type="button" className="dsp-button" onClick={() => setAnchor(todayIn(clock))}>
            Today
          </button>
          <button type="button" className="dsp-button" onClick={() => setAnchor(addDaysToLocalDate(anchor, step))}>
            Next <span aria-hidden="true">→</span>
          </button>
        </div>
      </header>

      <div className="dsp-schedule-layout">
        <div className="dsp-timeline-grid">
          <div className="dsp-tg-row dsp-tg-header">
            <div className="dsp-tg-name">Contractor</div>
            <div className="dsp-tg-track dsp-tg-scale">
              {mode === 'day'
                ? hours.map((hour) => (
                    <span
                      key={hour}
                      className="dsp-tg-hour"
                      style={{ left: `${((hour * 60 - DAY_START) / DAY_SPAN) * 100}%` }}
                    >
                      {formatHourMark(hour, clock)}
                    </span>
                  ))
                : days.map((day, index) => (
                    <span
                      key={day}
                      className="dsp-tg-day"
                      style={{ left: `${(index / days.length) * 100}%`, width: `${100 / days.length}%` }}
                    >
                      {formatLocalDate(day)}
                    </span>
                  ))}
            </div>
          </div>
          {contractors.length === 0 ? <p className="dsp-empty">No contractors yet.</p> : null}
          {contractors.map((contractor) => {
            const hoursRows = hoursByContractor.get(contractor.id) ?? [];
            const blocks = blocksByContractor.get(contractor.id) ?? [];
            return (
              <div className="dsp-tg-row" key={contractor.id} data-contractor-id={contractor.id}>
                <div className="dsp-tg-name">
                  <a href={routeHref({ name: 'contractors', contractorId: contractor.id })}>{contractor.name}</a>
                  <span className="dsp-muted">
                    {humanize(contractor.trade)}
                    {contractor.status !== 'active' ? ` · ${humanize(contractor.status)}` : ''}
                  </span>
                </div>
                <div
                  className={`dsp-tg-track${mode === 'week' ? ' dsp-tg-week' : ''}`}
                  style={{ ['--days' as string]: days.length }}
                >
                  {days.map((day, index) => {
                    const window = hoursRows.find((row) => row.dayOfWeek === weekdayOfLocalDate(day));
                    if (!window) return null;
                    const from = clampMinutes(minutesOfDay(window.startTime));
                    const to = clampMinutes(minutesOfDay(window.endTime));
                    return (
                      <span
                        key={day}
                        className="dsp-tg-hours"
                        title={`Works ${formatWallTime(window.startTime, clock)}–${formatWallTime(window.endTime, clock)}`}
                        style={{
                          left: `${((index + (from - DAY_START) / DAY_SPAN) / days.length) * 100}%`,
                          width: `${((to - from) / DAY_SPAN / days.length) * 100}%`,
                        }}
                      />
                    );
                  })}
                  {blocks.map((block) => {
                    const job = jobById.get(block.jobId);
                    return (
                      <a
                        key={block.id}
                        className={`dsp-tg-block dsp-astatus-${block.status}`}
                        href={routeHref({ name: 'job', jobId: block.jobId })}
                        style={{ left: `${block.left * 100}%`, width: `${block.width * 100}%` }}
                        title={`${job?.title ?? 'Job'} · ${formatTime(block.start, clock)}–${formatTime(block.end, clock)} · ${humanize(block.status)}`}
                        aria-label={`${job?.title ?? 'Job'}, ${formatTime(block.start, clock)} to ${formatTime(block.end, clock)}, ${humanize(block.status)}`}
                      >
                        <span className="dsp-tg-block-time">{formatTime(block.start, clock)}</span>
                        <span className="dsp-tg-block-title">{job?.title ?? 'Job not on this device'}</span>
                      </a>
                    );
                  })}
                </div>
              </div>
            );
          })}
          <p className="dsp-legend">
            <span className="dsp-legend-hours" /> working hours{' '}
            <span className="dsp-legend-block dsp-astatus-pending" /> pending{' '}
            <span className="dsp-legend-block dsp-astatus-confirmed" /> confirmed{' '}
            <span className="dsp-legend-block dsp-astatus-in_progress" /> in progress
          </p>
        </div>

        <aside className="dsp-tray" aria-labelledby="dsp-tray-title">
          <h2 id="dsp-tray-title">
            Unassigned <span className="dsp-count">{tray.length.toLocaleString()}</span>
          </h2>
          <VirtualList
            items={tray}
            rowHeight={76}
            label="Unassigned jobs"
            getKey={(job) => job.id}
            empty={<p className="dsp-muted">Everyone is on something.</p>}
            renderRow={(job) => (
              <div className="dsp-tray-item">
                <a href={routeHref({ name: 'job', jobId: job.id })} className="dsp-tray-title">
                  {job.title}
                </a>
                <span className="dsp-muted">
                  {formatLocalDate(job.desiredDate)} · {humanize(job.trade)} <PriorityTag priority={job.priority} />
                </span>
                <a className="dsp-link-button" href={routeHref({ name: 'job', jobId: job.id, panel: 'assign' })}>
                  Assign…
                </a>
              </div>
            )}
          />
        </aside>
      </div>
    </section>
  );
}
