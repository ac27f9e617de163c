import type { Job, Priority } from '@fieldsync/domain';

/**
 * Where a job falls from the company's today. The board's default order
 * reads like a dispatcher's day: overdue work (booked or started on an
 * earlier day and still not completed) first, then today, then the days
 * ahead; undated jobs, then the rest of the past (parked, never booked, or
 * finished), most recent first.
 */
export type DayGroup = 'overdue' | 'today' | 'ahead' | 'undated' | 'past';

const DAY_RANK: Record<DayGroup, number> = { overdue: 0, today: 1, ahead: 2, undated: 3, past: 4 };
const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, medium: 2, low: 3 };

type DatedJob = Pick<Job, 'desiredDate' | 'status' | 'priority'>;

/** The day group of a job, seen from `today` (a company day, `YYYY-MM-DD`). */
export function dayGroup(job: Pick<Job, 'desiredDate' | 'status'>, today: string): DayGroup {
  if (!job.desiredDate) return 'undated';
  if (job.desiredDate === today) return 'today';
  if (job.desiredDate > today) return 'ahead';
  return job.status === 'scheduled' || job.status === 'in_progress' ? 'overdue' : 'past';
}

/** Priority order: urgent first. */
export function comparePriority(a: Pick<Job, 'priority'>, b: Pick<Job, 'priority'>): number {
  return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
}

/** The board's default order (see {@link DayGroup}); within a day, the more urgent first. 0 for a tie. */
export function compareByDay(a: DatedJob, b: DatedJob, today: string): number {
  const groupA = dayGroup(a, today);
  const group = DAY_RANK[groupA] - DAY_RANK[dayGroup(b, today)];
  if (group !== 0) return group;
  const byDate = (a.desiredDate ?? '').localeCompare(b.desiredDate ?? '');
  return (groupA === 'past' ? -byDate : byDate) || comparePriority(a, b);
}
