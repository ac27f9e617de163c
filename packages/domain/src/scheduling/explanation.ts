import { utcToLocalDateTime } from './local-time';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** What a one-line recommendation explanation is made of. */
export type ExplanationFacts = {
  rating: number;
  /** null when the job has no location. */
  distanceMiles: number | null;
  /** Start of the earliest free slot, epoch ms or ISO. */
  slotStart: number | string;
  /** Days between the desired date and the slot's date. */
  dayOffset: number;
  timeZone: string;
  /** The job's required skills the contractor has; said when there are any. */
  matchedSkills?: readonly string[] | undefined;
};

/**
 * One line for the dispatcher, e.g. `4.6★, 3.2 mi away, free at 09:00 on the
 * desired day` or `4.6★, 3.2 mi away, free at 13:30 on Tue 24 Nov (2 days
 * late)`, followed by `, has hardwood refinishing, stairs` when the job
 * requires skills. Times are in the organization's time zone. Names are spelled out
 * by hand rather than with Intl so every device writes the same words.
 */
export function explainRecommendation(facts: ExplanationFacts): string {
  const local = utcToLocalDateTime(facts.slotStart, facts.timeZone);
  const distance =
    facts.distanceMiles === null
      ? 'distance unknown (job has no location)'
      : `${facts.distanceMiles.toFixed(1)} mi away`;
  let when: string;
  if (facts.dayOffset === 0) {
    when = 'on the desired day';
  } else {
    const [, month, day] = local.date.split('-');
    const label = `${WEEKDAYS[local.dayOfWeek]} ${Number(day)} ${MONTHS[Number(month) - 1]}`;
    const days = Math.abs(facts.dayOffset);
    const unit = days === 1 ? 'day' : 'days';
    when = `on ${label} (${days} ${unit} ${facts.dayOffset > 0 ? 'late' : 'early'})`;
  }
  const skills = facts.matchedSkills?.length ? `, has ${facts.matchedSkills.join(', ')}` : '';
  return `${facts.rating.toFixed(1)}★, ${distance}, free at ${local.time} ${when}${skills}`;
}
