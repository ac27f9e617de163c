/**
 * Which attachments a signed-in person may upload to or read. Always within
 * their own organisation. The office reaches every attachment of it. A
 * contractor reads the attachments of the jobs their phone pulls (a live
 * assignment, or a job the office cancelled under them), and uploads the
 * ones they took (a photo taken before the job was taken away still goes up)
 * or ones on a job they hold live. Anything else is answered as if it did not
 * exist.
 */
import { JOB_CANCELLED_REASON, LIVE_ASSIGNMENT_STATUSES } from '@fieldsync/domain';
import { and, eq, sql } from 'drizzle-orm';
import type { AuthUser } from '../auth/tokens';
import { type Db, rowsOf } from '../db/database';
import { attachments } from '../db/schema';

export type AttachmentUse = 'upload' | 'read';

/** What the upload and download paths need of an attachment row. */
export interface AttachmentForBytes {
  id: string;
  orgId: string;
  jobId: string;
  kind: string;
  fileName: string;
  contentType: string;
  byteSize: number;
  sha256: string;
  uploadedAt: string | null;
  createdBy: string | null;
}

const liveStatuses = sql.join(
  LIVE_ASSIGNMENT_STATUSES.map((status) => sql`${status}`),
  sql`, `,
);

/** The attachment when `user` may use it as asked; undefined for missing, removed and out of reach alike. */
export async function attachmentFor(
  db: Db,
  user: AuthUser,
  attachmentId: string,
  use: AttachmentUse,
): Promise<AttachmentForBytes | undefined> {
  const [row] = await db
    .select({
      id: attachments.id,
      orgId: attachments.orgId,
      jobId: attachments.jobId,
      kind: attachments.kind,
      fileName: attachments.fileName,
      contentType: attachments.contentType,
      byteSize: attachments.byteSize,
      sha256: attachments.sha256,
      uploadedAt: attachments.uploadedAt,
      createdBy: attachments.createdBy,
      deletedAt: attachments.deletedAt,
    })
    .from(attachments)
    .where(and(eq(attachments.orgId, user.orgId), eq(attachments.id, attachmentId)));
  if (!row || row.deletedAt !== null) return undefined;
  const { deletedAt: _removed, ...attachment } = row;
  const found = { ...attachment, byteSize: Number(attachment.byteSize) };
  if (user.role !== 'contractor') return found;
  if (use === 'upload' && found.createdBy === user.userId) return found;
  return (await contractorReaches(db, user, found.jobId, use)) ? found : undefined;
}

/**
 * Whether the contractor behind `user` holds the job: live for uploads; for
 * reading, also a job cancelled under them, which stays on their phone (the
 * same jobs as their pull scope).
 */
async function contractorReaches(db: Db, user: AuthUser, jobId: string, use: AttachmentUse) {
  const cancelledUnderThem =
    use === 'read'
      ? sql`or (a.status = 'cancelled' and a.cancellation_reason = ${JOB_CANCELLED_REASON} and j.status = 'cancelled')`
      : sql``;
  const rows = rowsOf(
    await db.execute(sql`
      select 1 from assignments a
      join contractors c on c.org_id = a.org_id and c.id = a.contractor_id
      join jobs j on j.org_id = a.org_id and j.id = a.job_id
      where a.org_id = ${user.orgId} and a.job_id = ${jobId} and a.deleted_at is null
        and c.user_id = ${user.userId} and c.deleted_at is null
        and (a.status in (${liveStatuses}) ${cancelledUnderThem})
      limit 1`),
  );
  return rows.length > 0;
}
