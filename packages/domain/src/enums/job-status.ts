import { z } from 'zod';

/** Where a job is in its life; see `jobTransitions` for the allowed moves. */
export const JOB_STATUSES = [
  'open',
  'scheduled',
  'in_progress',
  'waiting_on_materials',
  'on_hold',
  'completed',
  'cancelled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const jobStatusSchema = z.enum(JOB_STATUSES);
