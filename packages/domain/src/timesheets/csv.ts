/**
 * Comma-separated values as RFC 4180 writes them: fields holding a comma, a
 * double quote, a line break or surrounding spaces are quoted, quotes inside
 * doubled; lines end with CRLF, the last one too.
 */

/** One field: `null`/`undefined` become empty, numbers as written by `String`. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole document: the header line, then one line per record. */
export function toCsv(
  header: readonly string[],
  records: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>,
): string {
  return [header, ...records].map((record) => `${record.map(csvField).join(',')}\r\n`).join('');
}
