import { useState } from 'react';
import { dismissScheduleNotice, readScheduleNotices, type ScheduleNotice, scheduleNoticeText } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { type CompanyClock, formatDayLabel, formatTime, localDayKey, todayIn } from '../shell/format';
import { useOrganization } from '../shell/use-organization';

/**
 * Jobs the office took off this contractor's schedule, newest first, each
 * with the office's reason and a Dismiss button. They stay, across reloads
 * and offline, until dismissed: the job itself is already gone from the phone.
 */
export function ScheduleNotices() {
  const { db } = useFieldsync();
  const notices = useLiveQuery(() => readScheduleNotices(db), [], [] as ScheduleNotice[]);
  const [problem, setProblem] = useState<string | null>(null);
  if (notices.length === 0) return null;
  return (
    <section className="ct-notices" aria-label="Taken off your schedule">
      <ul className="ct-list">
        {notices.map((notice) => (
          <NoticeItem
            key={notice.id}
            notice={notice}
            onDismiss={() => {
              setProblem(null);
              dismissScheduleNotice(db, notice.id).catch(() =>
                setProblem('That notice could not be dismissed on this phone. Try again.'),
              );
            }}
          />
        ))}
      </ul>
      {problem ? (
        <p className="fs-error" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  );
}

/** "It was booked for today at 6:00 AM." / "… for Fri, Nov 21 at 6:00 AM." */
function bookedFor(start: string, clock: CompanyClock): string {
  const label = formatDayLabel(localDayKey(start, clock), todayIn(clock));
  const day = RELATIVE_DAYS.has(label) ? label.toLowerCase() : label;
  return `It was booked for ${day} at ${formatTime(start, clock)}.`;
}

const RELATIVE_DAYS: ReadonlySet<string> = new Set(['Today', 'Tomorrow', 'Yesterday']);

function NoticeItem({ notice, onDismiss }: { notice: ScheduleNotice; onDismiss: () => void }) {
  const clock = useOrganization();
  const text = scheduleNoticeText(notice);
  const booked = notice.scheduledStart ? bookedFor(notice.scheduledStart, clock) : null;
  return (
    <li className="ct-notice">
      <div className="ct-notice__body">
        <p className="ct-notice__text">{text}</p>
        {booked ? <p className="ct-notice__when">{booked}</p> : null}
      </div>
      <button
        type="button"
        className="fs-button fs-button--secondary fs-button--small"
        aria-label={`Dismiss: ${text}`}
        onClick={onDismiss}
      >
        Dismiss
      </button>
    </li>
  );
}
