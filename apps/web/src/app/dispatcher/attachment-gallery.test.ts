import { expect, test } from 'vitest';
import { galleryOrder, photoCountsByJob, photoCountText, stepIndex } from './attachment-gallery';

const row = (id: string, jobId: string, kind: string, takenAt: string, deletedAt: string | null = null) => ({
  id,
  jobId,
  kind,
  takenAt,
  deletedAt,
});

test('photoCountsByJob counts live photos per job, not signatures, documents or removed photos', () => {
  const counts = photoCountsByJob([
    row('a', 'job-1', 'photo', '2026-11-30T08:00:00Z'),
    row('b', 'job-1', 'photo', '2026-11-30T08:01:00Z'),
    row('c', 'job-1', 'signature', '2026-11-30T08:02:00Z'),
    row('d', 'job-1', 'photo', '2026-11-30T08:03:00Z', '2026-11-30T09:00:00Z'),
    row('e', 'job-2', 'document', '2026-11-30T08:00:00Z'),
    row('f', 'job-3', 'photo', '2026-11-30T08:00:00Z'),
  ]);
  expect(counts.get('job-1')).toBe(2);
  expect(counts.has('job-2')).toBe(false);
  expect(counts.get('job-3')).toBe(1);
});

test('photoCountText', () => {
  expect(photoCountText(1)).toBe('1 photo');
  expect(photoCountText(3)).toBe('3 photos');
});

test('galleryOrder puts signatures first, then by time taken, and leaves removed files out', () => {
  const ordered = galleryOrder([
    row('late-photo', 'j', 'photo', '2026-11-30T10:00:00Z'),
    row('early-photo', 'j', 'photo', '2026-11-30T08:00:00.000Z'),
    row('signature', 'j', 'signature', '2026-11-30T11:00:00Z'),
    row('removed', 'j', 'photo', '2026-11-30T07:00:00Z', '2026-11-30T12:00:00Z'),
    row('pdf', 'j', 'document', '2026-11-30T09:00:00Z'),
  ]);
  expect(ordered.map((item) => item.id)).toEqual(['signature', 'early-photo', 'pdf', 'late-photo']);
});

test('stepIndex wraps around both ends', () => {
  expect(stepIndex(0, 1, 3)).toBe(1);
  expect(stepIndex(2, 1, 3)).toBe(0);
  expect(stepIndex(0, -1, 3)).toBe(2);
  expect(stepIndex(0, 1, 0)).toBe(0);
});
