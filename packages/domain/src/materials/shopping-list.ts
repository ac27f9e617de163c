/**
 * The contractor's shopping list: the materials of their coming jobs, one
 * line per item and unit across jobs ("Copper elbow, 6 each — for SF-1001
 * and SF-1004"), so one trip buys for several jobs. Pure: the phone passes
 * its local rows, the company's time zone and today.
 */
import type { Assignment } from '../entities/assignment';
import type { Job } from '../entities/job';
import type { Material } from '../entities/material';
import type { AssignmentStatus } from '../enums/assignment-status';
import type { JobStatus } from '../enums/job-status';
import { addDaysToLocalDate, utcToLocalDateTime } from '../scheduling/local-time';

/** Today and the next six days. */
export const SHOPPING_LIST_DAYS = 7;

/** Assignments that still mean work ahead (a completed or ended one buys nothing). */
const WORKING_ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ['pending', 'confirmed', 'in_progress'];
/** Jobs whose work has started and is not done: needed whatever day they started. */
const STARTED_JOB_STATUSES: readonly JobStatus[] = ['in_progress', 'waiting_on_materials', 'on_hold'];
const ENDED_JOB_STATUSES: readonly JobStatus[] = ['completed', 'cancelled'];

export interface ShoppingListInput {
  materials: ReadonlyArray<
    Pick<Material, 'id' | 'jobId' | 'itemName' | 'quantity' | 'unit' | 'purchased'> &
      Partial<Pick<Material, 'createdAt' | 'deletedAt'>>
  >;
  /** Assignments on this phone; only the contractor's own count. */
  assignments: ReadonlyArray<Pick<Assignment, 'jobId' | 'contractorId' | 'status' | 'scheduledStart'>>;
  jobs: ReadonlyArray<Pick<Job, 'id' | 'jobNumber' | 'title' | 'status'>>;
  contractorId: string;
  /** The company's IANA time zone: days are its days. */
  timeZone: string;
  /** Today in the company's time zone (YYYY-MM-DD). */
  today: string;
  /** How many days from today on (default {@link SHOPPING_LIST_DAYS}). */
  days?: number;
}

/** A job a line is bought for, with how much of the line is its share. */
export interface ShoppingLineJob {
  jobId: string;
  jobNumber: string;
  title: string;
  /** The day the contractor is booked on it (company time zone); before today for work already started. */
  date: string;
  quantity: number;
}

/** One item to buy (or bought) across jobs. */
export interface ShoppingLine {
  /** Stable: the normalised item name and unit. */
  key: string;
  /** As first written. */
  itemName: string;
  unit: string;
  /** The sum over the rows behind the line, exact to the thousandth. */
  quantity: number;
  /** Every row behind the line is bought (the line sits in the "Bought" group). */
  bought: boolean;
  /** The material rows the line stands for: ticking the line ticks each of them. */
  materialIds: string[];
  /** The jobs needing it, soonest first. */
  jobs: ShoppingLineJob[];
  /** The soonest of its jobs' days. */
  firstDate: string;
}

export interface ShoppingList {
  toBuy: ShoppingLine[];
  bought: ShoppingLine[];
}

/** "  Copper  Elbow " and "copper elbow" are one item. */
function normalised(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

/** Quantities carry at most three decimals: summed as integer thousandths, so 0.1 + 0.2 is 0.3. */
const thousandths = (quantity: number) => Math.round(quantity * 1000);

/**
 * The day each of the contractor's coming jobs is on: a live assignment
 * starting today or within the window, or work started earlier and not done.
 * A job booked twice counts on its earliest day.
 */
function comingJobDays(input: ShoppingListInput): Map<string, string> {
  const last = addDaysToLocalDate(input.today, (input.days ?? SHOPPING_LIST_DAYS) - 1);
  const jobs = new Map(input.jobs.map((job) => [job.id, job]));
  const days = new Map<string, string>();
  for (const assignment of input.assignments) {
    if (assignment.contractorId !== input.contractorId) continue;
    if (!WORKING_ASSIGNMENT_STATUSES.includes(assignment.status)) continue;
    const job = jobs.get(assignment.jobId);
    if (!job || ENDED_JOB_STATUSES.includes(job.status)) continue;
    const day = utcToLocalDateTime(assignment.scheduledStart, input.timeZone).date;
    const started = STARTED_JOB_STATUSES.includes(job.status) || assignment.status === 'in_progress';
    if (day > last || (day < input.today && !started)) continue;
    const known = days.get(job.id);
    if (known === undefined || day < known) days.set(job.id, day);
  }
  return days;
}

interface LineBuilder {
  line: ShoppingLine;
  total: number;
  jobs: Map<string, ShoppingLineJob & { total: number }>;
}

/**
 * Groups the materials of the contractor's coming jobs by item and unit:
 * what is still to buy, and what is already bought, as separate lines. Only
 * rows not removed, of jobs neither completed nor cancelled.
 */
export function buildShoppingList(input: ShoppingListInput): ShoppingList {
  const jobDays = comingJobDays(input);
  const jobs = new Map(input.jobs.map((job) => [job.id, job]));
  const rows = input.materials
    .filter((row) => (row.deletedAt ?? null) === null && jobDays.has(row.jobId))
    .map((row) => ({ row, date: jobDays.get(row.jobId) as string }))
    // The first spelling is the one on the soonest job (then the oldest row): the same on every render.
    .sort(
      (a, b) =>
        a.date.localeCompare(b.date) ||
        (a.row.createdAt ?? '').localeCompare(b.row.createdAt ?? '') ||
        a.row.id.localeCompare(b.row.id),
    );

  const builders = new Map<string, LineBuilder>();
  for (const { row, date } of rows) {
    const key = `${normalised(row.itemName)}\u0000${normalised(row.unit)}`;
    const groupKey = `${row.purchased ? 'bought' : 'to-buy'}\u0000${key}`;
    let builder = builders.get(groupKey);
    if (!builder) {
      builder = {
        line: {
          key,
          itemName: row.itemName.trim(),
          unit: row.unit.trim(),
          quantity: 0,
          bought: row.purchased,
          materialIds: [],
          jobs: [],
          firstDate: date,
        },
        total: 0,
        jobs: new Map(),
      };
      builders.set(groupKey, builder);
    }
    const amount = thousandths(row.quantity);
    builder.total += amount;
    builder.line.materialIds.push(row.id);
    const job = jobs.get(row.jobId);
    const share = builder.jobs.get(row.jobId);
    if (share) share.total += amount;
    else {
      builder.jobs.set(row.jobId, {
        jobId: row.jobId,
        jobNumber: job?.jobNumber ?? '',
        title: job?.title ?? '',
        date,
        quantity: 0,
        total: amount,
      });
    }
  }

  const lines = [...builders.values()].map(({ line, total, jobs: shares }) => ({
    ...line,
    quantity: total / 1000,
    jobs: [...shares.values()]
      .map(({ total: share, ...job }) => ({ ...job, quantity: share / 1000 }))
      .sort((a, b) => a.date.localeCompare(b.date) || a.jobNumber.localeCompare(b.jobNumber)),
  }));
  lines.sort(
    (a, b) =>
      a.firstDate.localeCompare(b.firstDate) || a.itemName.localeCompare(b.itemName) || a.unit.localeCompare(b.unit),
  );
  return { toBuy: lines.filter((line) => !line.bought), bought: lines.filter((line) => line.bought) };
}
