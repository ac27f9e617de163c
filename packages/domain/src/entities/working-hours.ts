import { z } from 'zod';
import { idSchema, minutesOfDay, timeOfDaySchema } from '../wire-formats';
import { syncedRowShape } from './synced-row';

/** Longest working window in one day. */
export const MAX_WORKING_MINUTES_PER_DAY = 16 * 60;

/** 0 = Sunday … 6 = Saturday, as in JavaScript's `getDay()`. */
export const dayOfWeekSchema = z.number().int().min(0).max(6);

/**
 * Why a day's window is unacceptable, or null when it is fine: the end must
 * be after the start and the window at most 16 hours.
 */
export function workingWindowProblem(start: string, end: string): string | null {
  const minutes = minutesOfDay(end) - minutesOfDay(start);
  if (minutes <= 0) return 'The end time must be after the start time';
  if (minutes > MAX_WORKING_MINUTES_PER_DAY) return 'A working day can be at most 16 hours';
  return null;
}

/**
 * The week a newly invited contractor starts with, Monday to Friday 08:00–17:00,
 * so they can be recommended at once; the office adjusts it on the contractor's page.
 */
export const DEFAULT_WORKING_WEEK: ReadonlyArray<{ dayOfWeek: number; start: string; end: string }> = [
  1, 2, 3, 4, 5,
].map((dayOfWeek) => ({ dayOfWeek, start: '08:00', end: '17:00' }));

/** One contractor's working window on one day of the week (at most one per day). */
export const workingHoursSchema = z
  .object({
    ...syncedRowShape,
    contractorId: idSchema,
    dayOfWeek: dayOfWeekSchema,
    startTime: timeOfDaySchema,
    endTime: timeOfDaySchema,
  })
  .superRefine((row, ctx) => {
    const problem = workingWindowProblem(row.startTime, row.endTime);
    if (problem) ctx.addIssue({ code: 'custom', path: ['endTime'], message: problem });
  });
export type WorkingHours = z.infer<typeof workingHoursSchema>;
