/**
 * What an estimate's PDF shows, read for one signed-in person: the office
 * reaches every estimate of its company; a contractor those of the customers
 * of the jobs their phone pulls (the pull's own `contractorScope`). Anything else, a removed
 * estimate included, is not found.
 */
import type { EstimateLine, EstimateStatus, TimeFormat } from '@fieldsync/domain';
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { AuthUser } from '../auth/tokens';
import type { Db } from '../db/database';
import { attachments, customers, estimates, organizations } from '../db/schema';
import { toIsoTimestamp } from '../db/timestamps';
import { contractorIdOfUser } from '../queries/timesheet';
import { contractorScope } from '../sync/pull-service';
import type { AttachmentByteStore } from '../uploads/attachment-byte-store';
import type { EstimatePdfContent } from './estimate-pdf';

/** The content of the estimate's PDF, or undefined when `user` may not see it (or it does not exist). */
export async function estimatePdfSource(
  db: Db,
  store: AttachmentByteStore,
  user: AuthUser,
  estimateId: string,
): Promise<EstimatePdfContent | undefined> {
  const reach = user.role === 'contractor' ? await contractorReach(db, user) : undefined;
  if (reach === false) return undefined;
  const [row] = await db
    .select({
      estimate: estimates,
      company: { name: organizations.name, timeZone: organizations.timeZone, timeFormat: organizations.timeFormat },
      customer: { name: customers.name, address: customers.address },
    })
    .from(estimates)
    .innerJoin(organizations, eq(organizations.id, estimates.orgId))
    .leftJoin(customers, and(eq(customers.orgId, estimates.orgId), eq(customers.id, estimates.customerId)))
    .where(and(eq(estimates.orgId, user.orgId), eq(estimates.id, estimateId), isNull(estimates.deletedAt), reach));
  if (!row) return undefined;
  const { estimate, company, customer } = row;
  return {
    company: { ...company, timeFormat: company.timeFormat as TimeFormat },
    estimate: {
      number: estimate.number,
      title: estimate.title,
      status: estimate.status as EstimateStatus,
      currency: estimate.currency,
      lines: estimate.lines as EstimateLine[],
      taxRateBasisPoints: estimate.taxRateBasisPoints,
      subtotalCents: Number(estimate.subtotalCents),
      taxCents: Number(estimate.taxCents),
      totalCents: Number(estimate.totalCents),
      validUntil: estimate.validUntil,
      notes: estimate.notes,
      createdAt: toIsoTimestamp(estimate.createdAt),
      sentAt: estimate.sentAt === null ? null : toIsoTimestamp(estimate.sentAt),
      acceptedAt: estimate.acceptedAt === null ? null : toIsoTimestamp(estimate.acceptedAt),
      rejectedReason: estimate.rejectedReason,
    },
    customer: customer ?? undefined,
    signature:
      estimate.status === 'accepted' && estimate.signatureAttachmentId
        ? await signatureOf(db, store, user.orgId, estimate.signatureAttachmentId)
        : { state: 'none' },
  };
}

/**
 * The customer's signature. Whoever may see the estimate sees the signature on
 * it, whichever of the customer's jobs the phone attached it to. A removed
 * attachment shows as no signature; one whose bytes have not all arrived, as uploading.
 */
async function signatureOf(
  db: Db,
  store: AttachmentByteStore,
  orgId: string,
  attachmentId: string,
): Promise<EstimatePdfContent['signature']> {
  const [attachment] = await db
    .select({
      signerName: attachments.signerName,
      uploadedAt: attachments.uploadedAt,
      deletedAt: attachments.deletedAt,
    })
    .from(attachments)
    .where(and(eq(attachments.orgId, orgId), eq(attachments.id, attachmentId)));
  // The attachment's row may not be here yet: a phone's push can carry the acceptance first.
  if (!attachment) return { state: 'uploading', signerName: null };
  if (attachment.deletedAt !== null) return { state: 'none' };
  if (attachment.uploadedAt === null) return { state: 'uploading', signerName: attachment.signerName };
  const pieces: Uint8Array[] = [];
  for await (const piece of store.read(orgId, attachmentId)) pieces.push(piece);
  return { state: 'uploaded', signerName: attachment.signerName, png: Buffer.concat(pieces) };
}

/**
 * SQL that keeps the estimates a contractor's pull carries (the customers of
 * their jobs), or false for a contractor login with no contractor row.
 */
async function contractorReach(db: Db, user: AuthUser) {
  const contractorId = await contractorIdOfUser(db, user);
  if (contractorId === undefined) return false;
  return contractorScope('estimates', user.orgId, contractorId, user.userId) as SQL;
}
