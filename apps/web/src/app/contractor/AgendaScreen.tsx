import { useRef } from 'react';
import { useSyncState } from '../../sync/react';
import { dayHref, useScreenFocus } from '../router';
import {
  addDays,
  type CompanyClock,
  formatDayLabel,
  formatLongDay,
  localDayKey,
  plural,
  todayIn,
} from '../shell/format';
import { useOrganization } from '../shell/use-organization';
import { JobCard } from './JobCard';
import { PushPromptCard } from './PushPromptCard';
import { ScheduleNotices } from './ScheduleNotices';
import type { AgendaEntry } from './use-contractor-data';
import { TodayWorkingTime } from './WorkingTime';

function groupByDay(entries: AgendaEntry[], clock: CompanyClock): Array<[string, AgendaEntry[]]> {
  const groups = new Map<string, AgendaEntry[]>();
  for (const entry of entries) {
    const day = localDayKey(entry.assignment.scheduledStart, clock);
    const group = groups.get(day);
    if (group) group.push(entry);
    else groups.set(day, [entry]);
  }
  return [...groups];
}

/**
 * My day: the selected day's jobs in time order; on today also what is
 * coming up. Arrows step through days, so past days are a tap away. Days
 * are the company's: a job at 23:30 in its time zone is on that day, on any
 * phone.
 */
export function AgendaScreen(props: {
  day: string | undefined;
  agenda: AgendaEntry[] | undefined;
  /** Said once after something the person did elsewhere ("You declined …"). */
  confirmation?: string | null;
  onDismissConfirmation?: () => void;
}) {
  const clock = useOrganization();
  const today = todayIn(clock);
  const day = props.day ?? today;
  const isToday = day === today;
  const heading = useRef<HTMLHeadingElement>(null);
  const { lastSyncedAt } = useSyncState();
  useScreenFocus(`agenda:${day}`, heading);

  const agenda = props.agenda;
  const dayJobs = agenda?.filter((entry) => localDayKey(entry.assignment.scheduledStart, clock) === day) ?? [];
  const upcoming = isToday
    ? groupByDay(agenda?.filter((e) => localDayKey(e.assignment.scheduledStart, clock) > day) ?? [], clock)
    : [];
  const dayLabel = formatDayLabel(day, today);

  return (
    <div className="ct-screen">
      <nav className="ct-daynav" aria-label="Choose day">
        <a className="ct-daynav__step" href={dayHref(addDays(day, -1))} aria-label="Previous day">
          ‹
        </a>
        <div className="ct-daynav__label">
          <h1 ref={heading} tabIndex={-1}>
            {isToday ? 'My day' : dayLabel}
          </h1>
          <span className="fs-muted">{formatLongDay(day)}</span>
        </div>
        <a className="ct-daynav__step" href={dayHref(addDays(day, 1))} aria-label="Next day">
          ›
        </a>
      </nav>
      {!isToday ? (
        <a className="ct-today-link" href={dayHref(undefined)}>
          Back to today
        </a>
      ) : null}

      <div role="status" className="ct-confirmation-region">
        {props.confirmation ? (
          <div className="ct-confirmation">
            <p>{props.confirmation}</p>
            <button
              type="button"
              className="fs-button fs-button--secondary fs-button--small"
              onClick={props.onDismissConfirmation}
            >
              Dismiss
            </button>
          </div>
        ) : null}
      </div>
      <ScheduleNotices />
      {isToday ? <PushPromptCard /> : null}
      {isToday ? <TodayWorkingTime /> : null}

      {agenda === undefined ? (
        <p className="ct-empty" aria-busy="true">
          Loading your jobs…
        </p>
      ) : (
        <section aria-labelledby="ct-day-jobs">
          <h2 id="ct-day-jobs" className="ct-section-title">
            {isToday ? 'Today' : dayLabel} · {plural(dayJobs.length, 'job')}
          </h2>
          {dayJobs.length ? (
            <ul className="ct-list">
              {dayJobs.map((entry) => (
                <JobCard key={entry.assignment.id} entry={entry} clock={clock} />
              ))}
            </ul>
          ) : (
            <p className="ct-empty">
              {lastSyncedAt === null && agenda.length === 0
                ? 'Downloading your jobs… Keep the app open until “Ready for offline” shows.'
                : `No jobs ${isToday ? 'today' : 'on this day'}.`}
            </p>
          )}
        </section>
      )}

      {isToday && agenda !== undefined ? (
        <section aria-labelledby="ct-upcoming">
          <h2 id="ct-upcoming" className="ct-section-title">
            Upcoming
          </h2>
          {upcoming.length === 0 ? <p className="ct-empty">Nothing booked after today yet.</p> : null}
          {upcoming.map(([upcomingDay, entries]) => (
            <div key={upcomingDay} className="ct-day-group">
              <h3 className="ct-day-title">
                <a href={dayHref(upcomingDay)}>{formatDayLabel(upcomingDay, today)}</a>
              </h3>
              <ul className="ct-list">
                {entries.map((entry) => (
                  <JobCard key={entry.assignment.id} entry={entry} clock={clock} />
                ))}
              </ul>
            </div>
          ))}
        </section>
      ) : null}
    </div>
  );
}
