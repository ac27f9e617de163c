import type { JobStatus } from '@fieldsync/domain';
import { type CompanyClock, formatDateTime, formatTime } from '../shell/format';

// Dates and times: one set of functions for the office and the phone, on the company's clock.
export {
  type CompanyClock,
  formatDateTime,
  formatHourMark,
  formatLocalDate,
  formatTime,
  formatWallTime,
  todayIn,
} from '../shell/format';

/** Button words for moving a job to a status. */
export const JOB_STATUS_ACTION: Record<JobStatus, string> = {
  open: 'Move back to open',
  scheduled: 'Schedule',
  in_progress: 'Start',
  waiting_on_materials: 'Waiting on materials',
  on_hold: 'Put on hold',
  completed: 'Complete',
  cancelled: 'Cancel job',
};

/** Words for a snake_case value (`on_leave` → `On leave`). */
export function humanize(value: string): string {
  const words = value.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `5 min ago`, `3 h ago`, `2 days ago`. */
export function formatAgo(iso: string | null | undefined, nowMs: number = Date.now()): string {
  if (!iso) return 'never';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const minutes = Math.round((nowMs - ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** A conflict or activity value shown to a person. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  // Codes such as `on_hold` or `job_cancelled` read as words; free text is left as typed.
  if (typeof value === 'string') return /^[a-z]+(_[a-z]+)+$/.test(value) ? value.replaceAll('_', ' ') : value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(formatValue).join(', ');
  if (typeof value === 'object') {
    // Never `{}` or JSON on screen: an object reads as "Key: value" pairs, an empty one as nothing to say.
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '(none)';
    return entries.map(([key, inner]) => `${fieldWords(key)}: ${formatValue(inner)}`).join(', ');
  }
  return String(value);
}

/** A camelCase or snake_case key as words: `recordedAfterCancellation` → `Recorded after cancellation`. */
export function fieldWords(key: string): string {
  return humanize(key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase());
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const isInstant = (value: unknown): value is string => typeof value === 'string' && ISO_INSTANT.test(value);

/** One activity detail in words: instants on the company clock, a `{ start, end }` booking as one range. */
export function activityDetailValue(value: unknown, clock: CompanyClock): string {
  if (isInstant(value)) return formatDateTime(value, clock);
  const range = value as { start?: unknown; end?: unknown } | null;
  if (range && typeof range === 'object' && isInstant(range.start) && isInstant(range.end)) {
    return `${formatDateTime(range.start, clock)}–${formatTime(range.end, clock)}`;
  }
  return formatValue(value);
}

/**
 * An activity row's details as one line, leaving out ids and empty values
 * (`{}`, `[]`, null) so a row never shows `{}`. Empty string when nothing is left.
 */
export function activityDetailsText(details: unknown, formatOne: (value: unknown) => string = formatValue): string {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return '';
  return Object.entries(details as Record<string, unknown>)
    .filter(([key, value]) => !key.endsWith('Id') && !isEmptyDetail(value))
    .sort(([a], [b]) => detailRank(a) - detailRank(b))
    .map(([key, value]) => `${fieldWords(key)}: ${formatOne(value)}`)
    .join(' · ');
}

/**
 * The database keeps JSON keys shortest first ("to" before "from", "end"
 * before "start"): pairs are put back in reading order, the rest after them.
 */
const DETAIL_ORDER = ['from', 'to', 'start', 'end'];
function detailRank(key: string): number {
  const rank = DETAIL_ORDER.indexOf(key);
  return rank === -1 ? DETAIL_ORDER.length : rank;
}

function isEmptyDetail(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value as object).length === 0;
}

/** `2 h 30 min`. */
export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
