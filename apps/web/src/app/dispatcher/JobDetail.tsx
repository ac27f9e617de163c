import type { Role } from '@fieldsync/domain';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { AssignmentsSection, jobTakesAssignments } from './AssignmentsSection';
import { AssignPanel } from './AssignPanel';
import { CustomerSiteSection } from './CustomerSiteSection';
import { useContractors } from './dispatcher-data';
import { formatDuration, formatLocalDate, humanize } from './format';
import { JobAttachments } from './JobAttachments';
import { JobCostingSection } from './JobCostingSection';
import { JobMaterialsSection } from './JobMaterialsSection';
import { JobStatusActions } from './JobStatusActions';
import { JobTimelineSection } from './JobTimelineSection';
import { RatingPrompt } from './RatingPrompt';
import { type DispatcherRoute, routeHref } from './route';
import { JobNumber, PendingMark, PriorityTag, RefusedChanges, StatusBadge } from './ui';

/**
 * One job: details, assignments, materials, and its timeline, all live;
 * status buttons per the state machine. The sections share one error line,
 * under the status buttons, for a change that could not be made.
 */
export function JobDetail({
  jobId,
  panel,
  navigate,
}: {
  jobId: string;
  panel?: 'assign' | 'edit' | undefined;
  navigate: (route: DispatcherRoute) => void;
}) {
  const client = useFieldsync();
  const { db } = client;
  const state = useSyncState();
  const role: Role = state.session?.user.role ?? 'dispatcher';
  const { run, error } = useAction('computer');
  const job = useLiveQuery(() => db.jobs.get(jobId), [db, jobId], undefined);
  const loaded = useLiveQuery(() => db.jobs.get(jobId).then(() => true), [db, jobId], false);
  const customer = useLiveQuery(
    () => (job?.customerId ? db.customers.get(job.customerId) : undefined),
    [db, job?.customerId],
    undefined,
  );
  const parent = useLiveQuery(
    () => (job?.parentJobId ? db.jobs.get(job.parentJobId) : undefined),
    [db, job?.parentJobId],
    undefined,
  );
  const creator = useLiveQuery(
    () => (job?.createdBy ? db.users.get(job.createdBy) : undefined),
    [db, job?.createdBy],
    undefined,
  );
  const contractors = useContractors();
  const contractorName = (id: string) => contractors.find((c) => c.id === id)?.name ?? 'Unknown contractor';

  if (!job) {
    return (
      <section className="dsp-page">
        <a className="dsp-back" href={routeHref({ name: 'board' })}>
          ← Jobs
        </a>
        <p className="dsp-empty">
          {loaded ? 'This job is not on this device (it may have been removed).' : 'Loading…'}
        </p>
      </section>
    );
  }

  const refused = state.rejected.filter((change) => {
    const args = change.args as { jobId?: unknown; id?: unknown } | null;
    return args?.jobId === job.id || args?.id === job.id;
  });

  // A completed or cancelled job takes nobody new: no recommendations, even from an old link.
  const takesAssignments = jobTakesAssignments(job.status);
  const showPanel = panel === 'assign' && takesAssignments;

  return (
    <div className={`dsp-detail-layout${showPanel ? ' dsp-with-panel' : ''}`}>
      <section className="dsp-page dsp-detail" aria-labelledby="dsp-job-title">
        <header className="dsp-page-head dsp-detail-head">
          <div>
            <a className="dsp-back" href={routeHref({ name: 'board' })}>
              ← Jobs
            </a>
            <p className="dsp-detail-number">
              <JobNumber jobNumber={job.jobNumber} /> <PendingMark pending={job._pendingSeq} />
            </p>
            <h1 id="dsp-job-title">{job.title}</h1>
            <p className="dsp-detail-sub">
              <StatusBadge status={job.status} /> <PriorityTag priority={job.priority} />
              <span>{humanize(job.trade)}</span>
              <span>{formatLocalDate(job.desiredDate)}</span>
              <span>{formatDuration(job.durationMinutes)}</span>
            </p>
            {job.parentJobId ? (
              <p className="dsp-followup-of">
                Follow-up of{' '}
                {parent ? (
                  <a href={routeHref({ name: 'job', jobId: parent.id })}>{parent.jobNumber ?? parent.title}</a>
                ) : (
                  'a job not on this computer'
                )}
                {creator?.role === 'contractor' ? ` (from the field, by ${creator.name})` : null}
              </p>
            ) : null}
          </div>
          <div className="dsp-toolbar">
            <a className="dsp-button" href={routeHref({ name: 'job', jobId: job.id, panel: 'edit' })}>
              Edit
            </a>
            {takesAssignments ? (
              <a
                className="dsp-button dsp-button-primary"
                href={routeHref({ name: 'job', jobId: job.id, panel: showPanel ? undefined : 'assign' })}
                aria-expanded={showPanel}
              >
                {showPanel ? 'Hide recommendations' : 'Recommend & assign'}
              </a>
            ) : null}
          </div>
        </header>

        <JobStatusActions job={job} role={role} run={run} />
        {error ? (
          <p className="dsp-notice dsp-notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <RefusedChanges
          changes={refused}
          lead={(change) => (change.code === 'conflict' ? 'Changed by someone else: ' : 'Not applied: ')}
          onDismiss={(id) => void client.dismissRejected(id)}
        />

        <div className="dsp-detail-grid">
          <div className="dsp-detail-side">
            <RatingPrompt jobId={job.id} contractorName={contractorName} />
            <CustomerSiteSection job={job} customer={customer} />
            <JobCostingSection job={job} />
            <JobAttachments jobId={job.id} />
            <AssignmentsSection jobId={job.id} jobStatus={job.status} role={role} run={run} />
            <JobMaterialsSection jobId={job.id} />
          </div>
          <JobTimelineSection jobId={job.id} run={run} />
        </div>
      </section>
      {showPanel ? <AssignPanel job={job} onClose={() => navigate({ name: 'job', jobId: job.id })} /> : null}
    </div>
  );
}
