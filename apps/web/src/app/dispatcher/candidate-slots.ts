import {
  type AssignmentStatus,
  addDaysToLocalDate,
  freeSlots,
  isLiveAssignment,
  type ScoringSettings,
  utcToLocalDateTime,
} from '@fieldsync/domain';

/** Arguments of {@link candidateSlots}. */
export type CandidateSlotsInput = {
  job: { id: string; desiredDate: string | null; durationMinutes: number };
  contractorId: string;
  workingHours: ReadonlyArray<{ contractorId: string; dayOfWeek: number; startTime: string; endTime: string }>;
  /** Every assignment on the device; only the contractor's live ones on other jobs make them busy. */
  assignments: ReadonlyArray<{
    jobId: string;
    contractorId: string;
    status: AssignmentStatus;
    scheduledStart: string;
    scheduledEnd: string;
  }>;
  /** Search window and slot step, as the ranking uses them. */
  settings: Pick<ScoringSettings, 'searchDays' | 'slotMinutes'>;
  timeZone: string;
  /** The company's today, for a job without a desired date. */
  today: string;
  /** ISO instant; no slot starting before it is offered. */
  now: string;
  /** How many slots at most. */
  count: number;
};

/**
 * Up to `count` free slots of one contractor for a job, earliest first —
 * the ranking's own search (the same days, the same step, the same free-slot
 * rule) carried on past the three slots a recommendation lists. The window
 * starts at the desired date, or today when that has passed, and runs
 * `searchDays` days on.
 */
export function candidateSlots(input: CandidateSlotsInput): Array<{ start: string; end: string }> {
  const { job, timeZone } = input;
  const nowMs = Date.parse(input.now);
  const today = utcToLocalDateTime(nowMs, timeZone).date;
  const desired = job.desiredDate ?? input.today;
  // Dates as `YYYY-MM-DD` compare in calendar order; a late job is searched from today.
  const first = [desired, today].sort()[1] ?? desired;
  const workingHours = input.workingHours.filter((row) => row.contractorId === input.contractorId);
  // A job's own assignments do not make its contractor busy for it, as in the ranking.
  const busy = input.assignments
    .filter((a) => a.contractorId === input.contractorId && a.jobId !== job.id && isLiveAssignment(a.status))
    .map((a) => ({ start: a.scheduledStart, end: a.scheduledEnd }));

  const slots: Array<{ start: string; end: string }> = [];
  for (let offset = 0; offset <= input.settings.searchDays && slots.length < input.count; offset++) {
    const date = addDaysToLocalDate(first, offset);
    for (const slot of freeSlots({
      date,
      timeZone,
      workingHours,
      busy,
      durationMinutes: job.durationMinutes,
      slotMinutes: input.settings.slotMinutes,
    })) {
      if (Date.parse(slot.start) < nowMs) continue;
      slots.push(slot);
      if (slots.length >= input.count) break;
    }
  }
  return slots;
}
