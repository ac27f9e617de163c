import { expect, test } from 'vitest';
import { NO_UPLOADS } from '../sync-state';
import { describeUploads } from './describe-uploads';

const MB = 1_048_576;

test('photos only: counts them as photos with megabytes to one decimal', () => {
  expect(describeUploads({ ...NO_UPLOADS, count: 3, photos: 3, sentBytes: 2.1 * MB, totalBytes: 5.4 * MB })).toBe(
    '3 photos uploading, 2.1 of 5.4 MB',
  );
  expect(describeUploads({ ...NO_UPLOADS, count: 1, photos: 1, sentBytes: 0, totalBytes: 1.2 * MB })).toBe(
    '1 photo uploading, 0.0 of 1.2 MB',
  );
});

test('a mix of photos and other files says files; small totals are in kilobytes', () => {
  expect(describeUploads({ ...NO_UPLOADS, count: 2, photos: 1, sentBytes: 100 * 1024, totalBytes: 300 * 1024 })).toBe(
    '2 files uploading, 100 of 300 KB',
  );
  expect(describeUploads({ ...NO_UPLOADS, count: 1, photos: 0, sentBytes: 0, totalBytes: 2 * MB })).toBe(
    '1 file uploading, 0.0 of 2.0 MB',
  );
});

test('refused files are named; with nothing left it says everything is uploaded', () => {
  expect(describeUploads({ ...NO_UPLOADS, count: 2, photos: 2, sentBytes: MB, totalBytes: 2 * MB, failed: 1 })).toBe(
    '2 photos uploading, 1.0 of 2.0 MB · 1 file could not be uploaded',
  );
  expect(describeUploads({ ...NO_UPLOADS, failed: 2 })).toBe('2 files could not be uploaded');
  expect(describeUploads(NO_UPLOADS)).toBe('All photos and files uploaded');
});

test('sent never reads more than the total', () => {
  expect(describeUploads({ ...NO_UPLOADS, count: 1, photos: 1, sentBytes: 3 * MB, totalBytes: 2 * MB })).toBe(
    '1 photo uploading, 2.0 of 2.0 MB',
  );
});

test('offline, it says what will upload once back online', () => {
  expect(
    describeUploads({ count: 2, photos: 2, totalBytes: 3_250_586, sentBytes: 0, failed: 0 }, { online: false }),
  ).toBe('2 photos (3.1 MB) to upload when back online');
});
