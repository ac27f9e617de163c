import type { EstimateLineKind, EstimateStatus } from '@fieldsync/domain';

/** Where an estimate stands, for people. */
export const ESTIMATE_STATUS_LABEL: { readonly [S in EstimateStatus]: string } = {
  draft: 'Draft',
  sent: 'Sent to customer',
  accepted: 'Accepted',
  rejected: 'Rejected',
  expired: 'Expired',
};

export const LINE_KIND_LABEL: { readonly [K in EstimateLineKind]: string } = {
  labor: 'Labor',
  material: 'Material',
  equipment: 'Equipment',
  other: 'Other',
};

/** The estimate's number, or what to say while the server has not drawn one (it does when the estimate syncs). */
export function estimateNumberText(number: string): string {
  return number || 'Not sent to the office yet';
}

/** A tax rate in basis points for people: 825 → "8.25%". */
export function taxRateText(basisPoints: number): string {
  return `${Number((basisPoints / 100).toFixed(2))}%`;
}
