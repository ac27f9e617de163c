/** Postgres prints `2026-11-21 09:03:00+00`; the wire wants `2026-11-21T09:03:00.000Z`. */
export function toIsoTimestamp(value: string): string {
  const normalized = /[+-]\d\d$/.test(value) ? `${value}:00` : value;
  const parsed = new Date(normalized.replace(' ', 'T'));
  return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString();
}
