import type { TimeFormat } from '../company/time-zone';

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as an alert writes it for people, on the company's clock:
 * "Tue 24 Nov, 09:00" on a 24-hour company, "Tue Nov 24, 9:00 AM" on a
 * 12-hour one (the order those places write dates in). Undefined for a
 * time that cannot be read or an unknown zone, so a template shows its gap.
 */
export function formatAlertTime(instant: string, timeZone: string, timeFormat: TimeFormat): string | undefined {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return undefined;
  const key = `${timeZone}|${timeFormat}`;
  let formatter = formatters.get(key);
  try {
    if (!formatter) {
      formatter = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: timeFormat === '12h' ? 'numeric' : '2-digit',
        minute: '2-digit',
        hourCycle: timeFormat === '12h' ? 'h12' : 'h23',
      });
      formatters.set(key, formatter);
    }
    const parts = Object.fromEntries(formatter.formatToParts(ms).map((part) => [part.type, part.value]));
    if (timeFormat === '12h') {
      return `${parts.weekday} ${parts.month} ${parts.day}, ${parts.hour}:${parts.minute} ${String(parts.dayPeriod ?? '').toUpperCase()}`;
    }
    return `${parts.weekday} ${parts.day} ${parts.month}, ${parts.hour}:${parts.minute}`;
  } catch {
    return undefined;
  }
}
