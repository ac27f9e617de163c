/**
 * The data of the estimate alert events (`estimate.created`,
 * `estimate.status_changed`; fields declared in the domain's
 * `ALERT_EVENT_FIELDS`). Built where the change is made, from the estimate as
 * it now stands: unlike job events, nothing is looked up when the alerts are
 * raised, so the handlers and the expiry sweep send the same fields.
 */
import { type EstimateStatus, formatCents } from '@fieldsync/domain';

/** What an estimate event says of the estimate. */
export interface EstimateForEvent {
  id: string;
  number: string;
  title: string;
  customerId: string;
  jobId: string | null;
  totalCents: number;
  currency: string;
  status: EstimateStatus;
}

/** The event's flat data: the estimate now, the move (the same status twice on creation) and its reason. */
export function estimateEventData(
  estimate: EstimateForEvent,
  customerName: string | null,
  move: { fromStatus: EstimateStatus; toStatus: EstimateStatus; reason?: string | null | undefined },
): Record<string, unknown> {
  return {
    estimateId: estimate.id,
    number: estimate.number,
    title: estimate.title,
    customerId: estimate.customerId,
    customerName,
    jobId: estimate.jobId,
    totalCents: estimate.totalCents,
    total: formatCents(estimate.totalCents, estimate.currency, 'en-US'),
    currency: estimate.currency,
    status: estimate.status,
    fromStatus: move.fromStatus,
    toStatus: move.toStatus,
    reason: move.reason ?? null,
  };
}
