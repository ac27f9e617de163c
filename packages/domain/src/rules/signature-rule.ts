import type { AttachmentKind } from '../entities/attachment';
import type { JobStatus } from '../enums/job-status';

export const SIGNATURE_REQUIRED_MESSAGE =
  'This job needs the customer\'s signature before it can be completed. Use "Get signature" first.';

/**
 * Whether moving a job to `to` is held back for a missing signature: a job
 * that requires one completes only with a (not removed) signature attachment.
 */
export function missingSignature(
  job: { requiresSignature: boolean },
  to: JobStatus,
  attachments: ReadonlyArray<{ kind: AttachmentKind; deletedAt: string | null }>,
): boolean {
  if (to !== 'completed' || !job.requiresSignature) return false;
  return !attachments.some((attachment) => attachment.kind === 'signature' && attachment.deletedAt === null);
}
