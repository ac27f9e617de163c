import {
  type AlertEventName,
  type AlertEventSource,
  type Assignment,
  type Conflict,
  type Contractor,
  type Customer,
  type Estimate,
  formatCents,
  isLiveAssignment,
  type Job,
  type JobStatusHistory,
  type Rating,
  type Role,
} from '@fieldsync/domain';

/**
 * Recent events built on this device from its own copy of the data, so the
 * rule editor can preview a rule against real jobs with no server: which of
 * them the conditions match and how the template reads for the first match.
 * The server builds the same flat fields when it raises an event; a field
 * the device cannot know (an assignment's previous times, a phone's last
 * sync) is simply missing here, as a missing field is on the server.
 */
export interface AlertEventSample {
  /** Stable per source row, for React keys. */
  key: string;
  /** What happened, in a few words: "SF-1042 Fix the sink moved to In progress". */
  label: string;
  /** When it happened (ISO), newest first. */
  at: string;
  data: Record<string, unknown>;
}

type Pick2<T, K extends keyof T> = Pick<T, K>;

/** The rows the samples are built from: whatever the device holds. */
export interface AlertSampleSources {
  jobs: readonly (Pick2<
    Job,
    'id' | 'jobNumber' | 'title' | 'priority' | 'trade' | 'status' | 'customerId' | 'createdAt' | 'createdBy'
  > &
    Partial<Pick2<Job, 'parentJobId'>>)[];
  statusHistory: readonly Pick2<
    JobStatusHistory,
    'id' | 'jobId' | 'fromStatus' | 'toStatus' | 'reason' | 'occurredAt' | 'changedBy'
  >[];
  assignments: readonly Pick2<
    Assignment,
    'id' | 'jobId' | 'contractorId' | 'status' | 'scheduledStart' | 'scheduledEnd' | 'score' | 'createdAt' | 'updatedAt'
  >[];
  customers: readonly Pick2<Customer, 'id' | 'name'>[];
  contractors: readonly Pick2<Contractor, 'id' | 'name' | 'trade'>[];
  conflicts: readonly Pick2<
    Conflict,
    'id' | 'entity' | 'entityId' | 'field' | 'winnerValue' | 'loserValue' | 'winnerBy' | 'loserBy' | 'createdAt'
  >[];
  ratings: readonly Pick2<Rating, 'id' | 'assignmentId' | 'contractorId' | 'stars' | 'comment' | 'createdAt'>[];
  /** People by id, to name who changed something and where from (a contractor's phone or the office). */
  users: readonly { id: string; name: string; role: Role }[];
  /** The estimates on this device, for the estimate events (none when left out). */
  estimates?: readonly Pick2<
    Estimate,
    | 'id'
    | 'number'
    | 'title'
    | 'customerId'
    | 'jobId'
    | 'totalCents'
    | 'currency'
    | 'status'
    | 'sentAt'
    | 'acceptedAt'
    | 'rejectedReason'
    | 'signatureAttachmentId'
    | 'createdBy'
    | 'createdAt'
    | 'updatedAt'
  >[];
}

export interface AlertSampleOptions {
  /** Now (ms since the epoch), for `job.overdue`'s minutes late. */
  now: number;
  /** The org's `overdueMinutes`. */
  overdueMinutes: number;
  /** An instant in the company's time zone and time format, as the server fills `scheduledStartLocal`. */
  formatLocal: (iso: string) => string;
  /** How many samples at most (newest first). */
  limit?: number;
}

const DEFAULT_LIMIT = 8;

function byId<T extends { id: string }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((row) => [row.id, row]));
}

/** Builds the sample events of one kind from the device's rows, newest first. */
export function alertEventSamples(
  event: AlertEventName,
  sources: AlertSampleSources,
  options: AlertSampleOptions,
): AlertEventSample[] {
  const jobs = byId(sources.jobs);
  const customers = byId(sources.customers);
  const contractors = byId(sources.contractors);
  const users = byId(sources.users);
  const assignments = byId(sources.assignments);
  const liveByJob = new Map<string, AlertSampleSources['assignments'][number]>();
  for (const assignment of sources.assignments) {
    if (isLiveAssignment(assignment.status)) liveByJob.set(assignment.jobId, assignment);
  }

  /** Where a change came from: a contractor's phone, the office, or the server itself. */
  const sourceOf = (userId: string | null | undefined): AlertEventSource => {
    if (!userId) return 'system';
    return users.get(userId)?.role === 'contractor' ? 'mobile_app' : 'office_app';
  };

  /** The job context every job-related event carries; empty when the job is not on this device. */
  const jobContext = (jobId: string, reason: string | null = null): Record<string, unknown> => {
    const job = jobs.get(jobId);
    if (!job) return { jobId };
    const live = liveByJob.get(jobId);
    const contractor = live ? contractors.get(live.contractorId) : undefined;
    return {
      jobId: job.id,
      jobNumber: job.jobNumber || null,
      title: job.title,
      priority: job.priority,
      trade: job.trade,
      customerName: job.customerId ? (customers.get(job.customerId)?.name ?? null) : null,
      contractorId: live?.contractorId ?? null,
      contractorName: contractor?.name ?? null,
      reason,
    };
  };
  const jobLabel = (jobId: string) => {
    const job = jobs.get(jobId);
    return job ? `${job.jobNumber ? `${job.jobNumber} ` : ''}${job.title}` : 'A job';
  };

  const assignmentData = (assignment: AlertSampleSources['assignments'][number]) => {
    const job = jobs.get(assignment.jobId);
    return {
      ...jobContext(assignment.jobId),
      contractorId: assignment.contractorId,
      contractorName: contractors.get(assignment.contractorId)?.name ?? null,
      assignmentId: assignment.id,
      status: assignment.status,
      fromStatus: assignment.status,
      toStatus: assignment.status,
      jobStatus: job?.status ?? null,
      scheduledStart: assignment.scheduledStart,
      scheduledEnd: assignment.scheduledEnd,
      scheduledStartLocal: options.formatLocal(assignment.scheduledStart),
    };
  };

  type EstimateRow = NonNullable<AlertSampleSources['estimates']>[number];
  /** What every estimate event carries, as the server names the fields. */
  const estimateData = (estimate: EstimateRow): Record<string, unknown> => ({
    estimateId: estimate.id,
    number: estimate.number || null,
    title: estimate.title,
    customerId: estimate.customerId,
    customerName: customers.get(estimate.customerId)?.name ?? null,
    jobId: estimate.jobId,
    totalCents: estimate.totalCents,
    total: formatCents(estimate.totalCents, estimate.currency),
    currency: estimate.currency,
    status: estimate.status,
  });
  const estimateLabel = (estimate: EstimateRow) =>
    `${estimate.number ? `${estimate.number} ` : ''}${estimate.title} (${formatCents(estimate.totalCents, estimate.currency)})`;

  let samples: AlertEventSample[] = [];
  switch (event) {
    case 'estimate.created':
      samples = (sources.estimates ?? []).map((estimate) => ({
        key: estimate.id,
        label: `${estimateLabel(estimate)} was drawn up`,
        at: estimate.createdAt,
        data: {
          ...estimateData(estimate),
          // As created: every estimate starts a draft.
          status: 'draft',
          fromStatus: 'draft',
          toStatus: 'draft',
          reason: null,
          source: sourceOf(estimate.createdBy),
        },
      }));
      break;
    case 'estimate.status_changed':
      // The device keeps an estimate's latest move only: into `sent` from a draft, into an answer from `sent`.
      samples = (sources.estimates ?? [])
        .filter((estimate) => estimate.status !== 'draft')
        .map((estimate) => {
          const at =
            estimate.status === 'sent'
              ? (estimate.sentAt ?? estimate.updatedAt)
              : estimate.status === 'accepted'
                ? (estimate.acceptedAt ?? estimate.updatedAt)
                : estimate.updatedAt;
          return {
            key: estimate.id,
            label: `${estimateLabel(estimate)} ${estimate.status === 'sent' ? 'was sent' : `was ${estimate.status}`}`,
            at,
            data: {
              ...estimateData(estimate),
              fromStatus: estimate.status === 'sent' ? 'draft' : 'sent',
              toStatus: estimate.status,
              reason: estimate.status === 'rejected' ? estimate.rejectedReason : null,
              // Expiry is the scheduler's; a signature means it was accepted on site.
              source:
                estimate.status === 'expired'
                  ? 'system'
                  : estimate.status === 'accepted' && estimate.signatureAttachmentId
                    ? 'mobile_app'
                    : 'office_app',
            },
          };
        });
      break;
    case 'job.created':
      samples = sources.jobs.map((job) => ({
        key: job.id,
        label: `${jobLabel(job.id)} was created`,
        at: job.createdAt,
        data: {
          ...jobContext(job.id),
          // As created: every job starts open.
          status: 'open',
          fromStatus: 'open',
          toStatus: 'open',
          assigned: false,
          source: sourceOf(job.createdBy),
          parentJobId: job.parentJobId ?? null,
          // As the server: a follow-up a contractor created from a job they hold.
          fromField: Boolean(job.parentJobId) && sourceOf(job.createdBy) === 'mobile_app',
        },
      }));
      break;
    case 'job.status_changed':
      samples = sources.statusHistory
        .filter((row) => row.fromStatus !== null)
        .map((row) => ({
          key: row.id,
          label: `${jobLabel(row.jobId)} moved to ${row.toStatus.replace(/_/g, ' ')}`,
          at: row.occurredAt,
          data: {
            ...jobContext(row.jobId, row.reason),
            status: row.toStatus,
            fromStatus: row.fromStatus,
            toStatus: row.toStatus,
            assigned: liveByJob.has(row.jobId),
            source: sourceOf(row.changedBy),
          },
        }));
      break;
    case 'assignment.created':
      samples = sources.assignments.map((assignment) => ({
        key: assignment.id,
        label: `${contractors.get(assignment.contractorId)?.name ?? 'Someone'} booked on ${jobLabel(assignment.jobId)}`,
        at: assignment.createdAt,
        data: { ...assignmentData(assignment), score: assignment.score, source: 'office_app' },
      }));
      break;
    case 'assignment.rescheduled':
    case 'assignment.status_changed':
      samples = sources.assignments
        .filter((assignment) => event === 'assignment.rescheduled' || assignment.status !== 'pending')
        .map((assignment) => ({
          key: assignment.id,
          label:
            event === 'assignment.rescheduled'
              ? `${jobLabel(assignment.jobId)} booked for ${options.formatLocal(assignment.scheduledStart)}`
              : `${jobLabel(assignment.jobId)}: assignment ${assignment.status.replace(/_/g, ' ')}`,
          at: assignment.updatedAt,
          data: { ...assignmentData(assignment), source: 'office_app' },
        }));
      break;
    case 'conflict.recorded':
      samples = sources.conflicts.map((conflict) => {
        const jobId =
          conflict.entity === 'jobs'
            ? conflict.entityId
            : conflict.entity === 'assignments'
              ? assignments.get(conflict.entityId)?.jobId
              : undefined;
        return {
          key: conflict.id,
          label: `Conflicting edits of ${conflict.field} on ${conflict.entity}`,
          at: conflict.createdAt,
          data: {
            ...(jobId ? jobContext(jobId) : {}),
            conflictId: conflict.id,
            entity: conflict.entity,
            entityId: conflict.entityId,
            field: conflict.field,
            winnerValue: valueText(conflict.winnerValue),
            loserValue: valueText(conflict.loserValue),
            winnerName: conflict.winnerBy ? (users.get(conflict.winnerBy)?.name ?? null) : null,
            loserName: conflict.loserBy ? (users.get(conflict.loserBy)?.name ?? null) : null,
            source: 'system',
          },
        };
      });
      break;
    case 'rating.added':
      samples = sources.ratings.map((rating) => {
        const jobId = assignments.get(rating.assignmentId)?.jobId;
        return {
          key: rating.id,
          label: `${contractors.get(rating.contractorId)?.name ?? 'A contractor'} rated ${rating.stars} stars`,
          at: rating.createdAt,
          data: {
            ...(jobId ? jobContext(jobId) : {}),
            contractorId: rating.contractorId,
            contractorName: contractors.get(rating.contractorId)?.name ?? null,
            ratingId: rating.id,
            assignmentId: rating.assignmentId,
            stars: rating.stars,
            comment: rating.comment,
            source: 'office_app',
          },
        };
      });
      break;
    case 'job.overdue':
      samples = sources.assignments.flatMap((assignment) => {
        const job = jobs.get(assignment.jobId);
        const late = Math.floor((options.now - Date.parse(assignment.scheduledStart)) / 60_000);
        const notStarted = job && (job.status === 'scheduled' || job.status === 'open');
        if (!isLiveAssignment(assignment.status) || !notStarted || late < options.overdueMinutes) return [];
        return [
          {
            key: assignment.id,
            label: `${jobLabel(assignment.jobId)} is ${late} minutes late`,
            at: new Date(Date.parse(assignment.scheduledStart) + options.overdueMinutes * 60_000).toISOString(),
            data: {
              ...jobContext(assignment.jobId),
              status: job.status,
              fromStatus: job.status,
              toStatus: job.status,
              assigned: true,
              assignmentId: assignment.id,
              scheduledStart: assignment.scheduledStart,
              scheduledStartLocal: options.formatLocal(assignment.scheduledStart),
              minutesLate: late,
              source: 'system',
            },
          },
        ];
      });
      break;
    case 'device.stale': {
      // The device cannot know when phones last synced: the sample shows who has work today, without the hours.
      const today = new Date(options.now).toISOString().slice(0, 10);
      const counts = new Map<string, number>();
      for (const assignment of sources.assignments) {
        if (isLiveAssignment(assignment.status) && assignment.scheduledStart.slice(0, 10) === today) {
          counts.set(assignment.contractorId, (counts.get(assignment.contractorId) ?? 0) + 1);
        }
      }
      samples = [...counts].map(([contractorId, count]) => {
        const contractor = contractors.get(contractorId);
        return {
          key: contractorId,
          label: `${contractor?.name ?? 'A contractor'} has ${count} ${count === 1 ? 'job' : 'jobs'} today`,
          at: new Date(options.now).toISOString(),
          data: {
            contractorId,
            contractorName: contractor?.name ?? null,
            trade: contractor?.trade ?? null,
            assignmentsToday: count,
            source: 'system',
          },
        };
      });
      break;
    }
  }
  return samples
    .sort((a, b) => b.at.localeCompare(a.at) || a.key.localeCompare(b.key))
    .slice(0, options.limit ?? DEFAULT_LIMIT);
}

/** A conflict's JSON value as the text a condition or template compares. */
function valueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
