/**
 * Dates and times as people read them on the phone. Times are shown in the
 * device's time zone; a day is a local calendar day (`YYYY-MM-DD`).
 */

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `HH:MM` of an ISO instant. */
export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

/** `21 Nov, 14:05` of an ISO instant. */
export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

/** The local calendar day of an instant as `YYYY-MM-DD`. */
export function localDayKey(instant: Date | string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

/** Noon of a local day: safe to add days to across daylight-saving changes. */
function dayKeyToDate(key: string): Date {
  const [year, month, day] = key.split('-').map(Number);
  return new Date(year ?? 1970, (month ?? 1) - 1, day ?? 1, 12);
}

/** `YYYY-MM-DD` shifted by whole days. */
export function addDays(key: string, days: number): string {
  const date = dayKeyToDate(key);
  date.setDate(date.getDate() + days);
  return localDayKey(date);
}

/** "Today", "Tomorrow", "Yesterday", or "Fri, 21 Nov". */
export function formatDayLabel(key: string, today: string = localDayKey(new Date())): string {
  if (key === today) return 'Today';
  if (key === addDays(today, 1)) return 'Tomorrow';
  if (key === addDays(today, -1)) return 'Yesterday';
  return dayFormat.format(dayKeyToDate(key));
}

/** The full date for screen readers and headings: "Friday, 21 November 2026". */
export function formatLongDay(key: string): string {
  return new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
    dayKeyToDate(key),
  );
}

/** "3 changes" / "1 change". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Orders ISO instants by time. Not by string: `…:01Z` and `…:01.512Z` may both arrive from the server. */
export function compareInstants(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b);
}
