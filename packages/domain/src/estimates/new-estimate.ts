import type { Estimate, EstimateLine } from './estimate';
import { estimateTotals } from './estimate-totals';

/** What a creator sends for a new estimate (`estimate.create`'s args). */
export interface NewEstimateInput {
  id: string;
  customerId: string;
  jobId?: string | null;
  title: string;
  lines: EstimateLine[];
  taxRateBasisPoints: number;
  validUntil: string;
  notes?: string | null;
}

/**
 * A new estimate as both the server and the phone store it: a draft, its
 * totals computed here from the lines (never taken from the client), in the
 * company's currency. The number is the server's to draw.
 */
export function newEstimate(input: NewEstimateInput, context: { currency: string; createdBy: string }) {
  const { subtotalCents, taxCents, totalCents } = estimateTotals(input.lines, input.taxRateBasisPoints);
  return {
    id: input.id,
    customerId: input.customerId,
    jobId: input.jobId ?? null,
    title: input.title,
    lines: input.lines,
    taxRateBasisPoints: input.taxRateBasisPoints,
    subtotalCents,
    taxCents,
    totalCents,
    currency: context.currency,
    status: 'draft',
    validUntil: input.validUntil,
    notes: input.notes ?? null,
    sentAt: null,
    acceptedAt: null,
    rejectedReason: null,
    signatureAttachmentId: null,
    createdBy: context.createdBy,
  } satisfies Omit<Estimate, 'number' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>;
}

/** The totals to store after a draft's lines or tax rate changed. */
export function estimateTotalsFields(estimate: Pick<Estimate, 'lines' | 'taxRateBasisPoints'>) {
  const { subtotalCents, taxCents, totalCents } = estimateTotals(estimate.lines, estimate.taxRateBasisPoints);
  return { subtotalCents, taxCents, totalCents };
}
