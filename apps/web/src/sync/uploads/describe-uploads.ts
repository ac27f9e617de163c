import type { UploadSummary } from '../sync-state';

const MEGABYTE = 1_048_576;

function amount(bytes: number, unit: 'MB' | 'KB'): string {
  return unit === 'MB' ? (bytes / MEGABYTE).toFixed(1) : String(Math.round(bytes / 1024));
}

/**
 * The upload line for people: "3 photos uploading, 2.1 of 5.4 MB". Says
 * "photos" when every file is a photo, "files" otherwise; kilobytes below a
 * megabyte; offline, "2 photos (3.1 MB) to upload when back online". Refused
 * files are added ("· 1 could not be uploaded"), and with nothing left it says so.
 */
export function describeUploads(uploads: UploadSummary, options: { online?: boolean } = {}): string {
  const refused =
    uploads.failed === 1 ? '1 file could not be uploaded' : `${uploads.failed} files could not be uploaded`;
  if (uploads.count === 0) return uploads.failed > 0 ? refused : 'All photos and files uploaded';
  const noun = uploads.photos === uploads.count ? 'photo' : 'file';
  const unit = uploads.totalBytes >= MEGABYTE ? 'MB' : 'KB';
  const sent = Math.min(uploads.sentBytes, uploads.totalBytes);
  const files = `${uploads.count} ${noun}${uploads.count === 1 ? '' : 's'}`;
  const line =
    options.online === false
      ? `${files} (${amount(uploads.totalBytes, unit)} ${unit}) to upload when back online`
      : `${files} uploading, ${amount(sent, unit)} of ${amount(uploads.totalBytes, unit)} ${unit}`;
  return uploads.failed > 0 ? `${line} · ${refused}` : line;
}
