/** `JOB-YYYYMMDD-XXXXXX`: the creation date and six upper-case letters or digits. */
export const JOB_NUMBER_PATTERN = /^JOB-\d{8}-[A-Z0-9]{6}$/;

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SUFFIX_PATTERN = /^[A-Z0-9]{6}$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Builds a job number. `date` is a `YYYY-MM-DD` string (preferred: pass the
 * day in the organisation's time zone) or a `Date`, read in UTC.
 * Throws a RangeError for a malformed date or suffix: that is a programming error.
 */
export function formatJobNumber(date: Date | string, suffix: string): string {
  let day: string;
  if (typeof date === 'string') {
    const match = DATE_PATTERN.exec(date);
    if (!match) throw new RangeError(`Expected a date as YYYY-MM-DD, got "${date}"`);
    day = `${match[1]}${match[2]}${match[3]}`;
  } else {
    if (Number.isNaN(date.getTime())) throw new RangeError('Invalid date');
    day = date.toISOString().slice(0, 10).replaceAll('-', '');
  }
  const upper = suffix.toUpperCase();
  if (!SUFFIX_PATTERN.test(upper)) throw new RangeError(`Expected six letters or digits, got "${suffix}"`);
  return `JOB-${day}-${upper}`;
}

/** Six random upper-case letters or digits; `random` returns a number in [0, 1) like `Math.random`. */
export function randomJobNumberSuffix(random: () => number): string {
  let suffix = '';
  for (let i = 0; i < 6; i++) {
    const index = Math.min(SUFFIX_ALPHABET.length - 1, Math.max(0, Math.floor(random() * SUFFIX_ALPHABET.length)));
    suffix += SUFFIX_ALPHABET[index];
  }
  return suffix;
}
