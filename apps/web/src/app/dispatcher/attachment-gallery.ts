/** Pure helpers behind the office's photo counts and job gallery. */

type AttachmentLike = { id: string; jobId: string; kind: string; takenAt: string; deletedAt: string | null };

/**
 * Photos per job id, not counting removed ones: one pass over every
 * attachment, so the board reads a row's count from a map instead of
 * querying per row.
 */
export function photoCountsByJob(attachments: ReadonlyArray<AttachmentLike>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const attachment of attachments) {
    if (attachment.kind !== 'photo' || attachment.deletedAt !== null) continue;
    counts.set(attachment.jobId, (counts.get(attachment.jobId) ?? 0) + 1);
  }
  return counts;
}

/** "1 photo", "3 photos". */
export function photoCountText(count: number): string {
  return count === 1 ? '1 photo' : `${count.toLocaleString()} photos`;
}

/**
 * A job's gallery: signatures first (what the office looks for on a
 * completed job), then photos and documents in the order they were taken;
 * removed files left out.
 */
export function galleryOrder<T extends AttachmentLike>(attachments: ReadonlyArray<T>): T[] {
  const rank = (kind: string) => (kind === 'signature' ? 0 : 1);
  return attachments
    .filter((attachment) => attachment.deletedAt === null)
    .sort(
      (a, b) =>
        rank(a.kind) - rank(b.kind) || Date.parse(a.takenAt) - Date.parse(b.takenAt) || a.id.localeCompare(b.id),
    );
}

/** The index an arrow key moves to in a gallery of `length` items, wrapping around at either end. */
export function stepIndex(current: number, step: -1 | 1, length: number): number {
  if (length <= 0) return 0;
  return (((current + step) % length) + length) % length;
}
