import { useRef, useState } from 'react';
import { readScheduleNotices, scheduleNoticeText } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { dayHref, useScreenFocus } from '../router';
import { compareInstants, formatDateTime, formatDayLabel, formatTime, localDayKey, todayIn } from '../shell/format';
import { Icon } from '../shell/Icon';
import { ASSIGNMENT_STATUS_LABEL } from '../shell/labels';
import { useOrganization } from '../shell/use-organization';
import { AssignmentActions } from './AssignmentActions';
import { EstimatesSection } from './EstimatesSection';
import { FollowUpSection } from './FollowUpSection';
import { MaterialsSection } from './MaterialsSection';
import { NotesSection } from './NotesSection';
import { PhotosSection } from './PhotosSection';
import { SignatureSection } from './SignatureSection';
import { SignatureSheet } from './SignatureSheet';
import { StatusActions } from './StatusActions';
import { StatusChip } from './StatusChip';
import { TimelineSection } from './TimelineSection';
import { useJobDetail } from './use-contractor-data';
import { RunningClock } from './WorkingTime';

/**
 * The office's cancellation and the reason it gave (from the status history
 * row of the cancellation; the assignment only says "Job cancelled").
 */
function CancelledBanner({ jobId }: { jobId: string }) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const cancellation = useLiveQuery(
    async () =>
      (await db.jobStatusHistory.where('jobId').equals(jobId).toArray())
        .filter((row) => row.toStatus === 'cancelled')
        .sort((a, b) => compareInstants(b.occurredAt, a.occurredAt))[0] ?? null,
    [jobId],
  );
  const reason = cancellation?.reason?.trim();
  return (
    <div className="ct-panel ct-panel--warning ct-cancelled" role="note">
      <p>The office cancelled this job{cancellation ? ` on ${formatDateTime(cancellation.occurredAt, clock)}` : ''}.</p>
      {reason ? (
        <p className="ct-cancelled__reason">
          Reason: <q>{reason}</q>
        </p>
      ) : null}
    </div>
  );
}

const PRIORITY_LABEL = { low: 'Low', medium: 'Medium', high: 'High priority', urgent: 'Urgent' } as const;

/**
 * Everything a contractor needs on site for one job, and every change they
 * can make to it. `onDeclined` hears of a decline saved on the phone, with
 * the job's title and the day to go back to.
 */
export function JobDetailScreen(props: {
  jobId: string;
  contractorId: string | null | undefined;
  onDeclined: (declined: { jobTitle: string; day: string | undefined }) => void;
}) {
  const detail = useJobDetail(props.jobId, props.contractorId);
  const { db } = useFieldsync();
  const notice = useLiveQuery(
    async () => (await readScheduleNotices(db)).find((candidate) => candidate.jobId === props.jobId) ?? null,
    [props.jobId],
  );
  const heading = useRef<HTMLHeadingElement>(null);
  // One signing sheet for the screen: the signature section and the Complete action both open it.
  const [signing, setSigning] = useState(false);
  useScreenFocus(`job:${props.jobId}:${detail ? 'loaded' : 'loading'}`, heading);

  const clock = useOrganization();
  const backDay = detail?.assignment ? localDayKey(detail.assignment.scheduledStart, clock) : undefined;
  const today = todayIn(clock);
  const back = (
    <a className="ct-back" href={dayHref(backDay === today ? undefined : backDay)}>
      ‹ {backDay && backDay !== today ? formatDayLabel(backDay, today) : 'My day'}
    </a>
  );

  if (detail === undefined) {
    return (
      <div className="ct-screen">
        {back}
        <p className="ct-empty" aria-busy="true">
          Loading job…
        </p>
      </div>
    );
  }
  if (detail === null) {
    return (
      <div className="ct-screen">
        {back}
        <h1 ref={heading} tabIndex={-1}>
          Job not on this phone
        </h1>
        <p>
          {notice
            ? scheduleNoticeText(notice)
            : 'This job is not assigned to you any more, or has not been downloaded yet.'}
        </p>
      </div>
    );
  }

  const { job, customer, assignment } = detail;
  const canEdit = job.status !== 'cancelled';
  const address = job.address ?? customer?.address ?? null;
  return (
    <div className="ct-screen">
      {back}
      <header className="ct-job-head">
        <div className="ct-job-head__chips">
          <StatusChip status={job.status} />
          {job.priority === 'high' || job.priority === 'urgent' ? (
            <span className={`ct-priority ct-priority--${job.priority}`}>{PRIORITY_LABEL[job.priority]}</span>
          ) : null}
          {job._pendingSeq !== undefined ? <span className="ct-badge ct-badge--pending">Not sent yet</span> : null}
        </div>
        <h1 ref={heading} tabIndex={-1}>
          {job.title}
        </h1>
        <p className="fs-muted">{job.jobNumber}</p>
        {assignment ? (
          <p className="ct-slot">
            <Icon name="clock" />
            <span>
              {formatDayLabel(localDayKey(assignment.scheduledStart, clock), today)},{' '}
              {formatTime(assignment.scheduledStart, clock)}–{formatTime(assignment.scheduledEnd, clock)}
              <span className="ct-slot__state"> · {ASSIGNMENT_STATUS_LABEL[assignment.status]}</span>
            </span>
          </p>
        ) : null}
      </header>

      {job.status === 'cancelled' ? <CancelledBanner jobId={job.id} /> : null}

      {assignment ? (
        <AssignmentActions
          assignment={assignment}
          onDeclined={() => props.onDeclined({ jobTitle: job.title, day: backDay === today ? undefined : backDay })}
        />
      ) : null}

      <section className="ct-panel" aria-labelledby="ct-status-title">
        <h2 id="ct-status-title">Status</h2>
        <StatusActions job={job} onGetSignature={canEdit ? () => setSigning(true) : undefined} />
      </section>

      <RunningClock jobId={job.id} />

      <section className="ct-panel" aria-labelledby="ct-customer-title">
        <h2 id="ct-customer-title">Customer</h2>
        <p className="ct-customer-name">{customer?.name ?? 'No customer on file'}</p>
        <div className="ct-contact">
          {customer?.phone ? (
            <a className="fs-button fs-button--secondary" href={`tel:${customer.phone.replace(/[^\d+]/g, '')}`}>
              <Icon name="phone" />
              Call {customer.phone}
            </a>
          ) : null}
          {address ? (
            <a
              className="fs-button fs-button--secondary"
              href={`https://maps.google.com/?q=${encodeURIComponent(address)}`}
              target="_blank"
              rel="noreferrer"
            >
              <Icon name="pin" />
              {address}
              <span className="fs-sr-only"> (open in maps)</span>
            </a>
          ) : null}
        </div>
        {customer?.notes ? <p className="fs-muted">{customer.notes}</p> : null}
      </section>

      {job.description || job.specialRequirements.length ? (
        <section className="ct-panel" aria-labelledby="ct-work-title">
          <h2 id="ct-work-title">The work</h2>
          {job.description ? <p>{job.description}</p> : null}
          {job.specialRequirements.length ? (
            <>
              <h3 className="ct-subtitle">Special requirements</h3>
              <ul className="ct-requirements">
                {job.specialRequirements.map((requirement) => (
                  <li key={requirement}>{requirement}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      <PhotosSection jobId={job.id} canEdit={canEdit} />
      <SignatureSection job={job} canEdit={canEdit} onGetSignature={() => setSigning(true)} />
      <MaterialsSection jobId={job.id} canEdit={canEdit} />
      <EstimatesSection job={job} canEdit={canEdit} />
      <NotesSection jobId={job.id} canEdit={canEdit} />
      <FollowUpSection job={job} assignment={assignment} />
      <TimelineSection jobId={job.id} />
      <SignatureSheet
        open={signing}
        onClose={() => setSigning(false)}
        job={job}
        customer={customer}
        address={address}
      />
    </div>
  );
}
