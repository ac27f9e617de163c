/**
 * Which of the contractor's jobs a customer's signature on an estimate goes
 * on: the estimate's own job when it is on this phone, else the one of that
 * customer's live jobs scheduled nearest to now. Pure.
 */
export interface CandidateJob {
  job: { id: string; customerId: string | null; status: string };
  /** The contractor's assignment start on it (ISO), if any. */
  scheduledStart?: string | null;
}

export function pickSignatureJob<C extends CandidateJob>(
  estimate: { customerId: string; jobId: string | null },
  candidates: readonly C[],
  nowMs: number,
): C | undefined {
  const own = estimate.jobId ? candidates.find((candidate) => candidate.job.id === estimate.jobId) : undefined;
  if (own && own.job.status !== 'cancelled') return own;
  const distance = (candidate: C) => {
    const start = candidate.scheduledStart ? Date.parse(candidate.scheduledStart) : Number.NaN;
    return Number.isNaN(start) ? Number.POSITIVE_INFINITY : Math.abs(start - nowMs);
  };
  return candidates
    .filter((candidate) => candidate.job.customerId === estimate.customerId && candidate.job.status !== 'cancelled')
    .sort((a, b) => {
      // A job under way is where the customer is now.
      const underWay = Number(b.job.status === 'in_progress') - Number(a.job.status === 'in_progress');
      return underWay || distance(a) - distance(b);
    })[0];
}
