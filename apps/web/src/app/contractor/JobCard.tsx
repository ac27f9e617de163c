import { jobHref } from '../router';
import { type CompanyClock, formatTime } from '../shell/format';
import { JOB_STATUS_LABEL } from '../shell/labels';
import { StatusChip } from './StatusChip';
import type { AgendaEntry } from './use-contractor-data';

/** One job in the day list: the whole card is the link to the job. */
export function JobCard({ entry, clock }: { entry: AgendaEntry; clock: CompanyClock }) {
  const { job, assignment, customer, pending } = entry;
  const time = `${formatTime(assignment.scheduledStart, clock)}–${formatTime(assignment.scheduledEnd, clock)}`;
  return (
    <li>
      <a
        className={`ct-card${job.status === 'cancelled' ? ' ct-card--cancelled' : ''}`}
        href={jobHref(job.id)}
        data-job-id={job.id}
        aria-label={`${time}, ${job.title}, ${JOB_STATUS_LABEL[job.status]}${customer ? `, ${customer.name}` : ''}${pending ? ', has changes not sent yet' : ''}`}
      >
        <div className="ct-card__top">
          <span className="ct-card__time">{time}</span>
          <StatusChip status={job.status} />
        </div>
        <p className="ct-card__title">{job.title}</p>
        {customer ? <p className="ct-card__customer">{customer.name}</p> : null}
        {job.address ? <p className="ct-card__address">{job.address}</p> : null}
        {assignment.status === 'pending' || pending ? (
          <div className="ct-card__badges">
            {assignment.status === 'pending' ? (
              <span className="ct-badge ct-badge--new">New — please confirm</span>
            ) : null}
            {pending ? <span className="ct-badge ct-badge--pending">Not sent yet</span> : null}
          </div>
        ) : null}
      </a>
    </li>
  );
}
