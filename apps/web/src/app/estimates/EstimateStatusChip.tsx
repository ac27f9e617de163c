import type { EstimateStatus } from '@fieldsync/domain';
import { ESTIMATE_STATUS_LABEL } from './estimate-words';
import './estimates.css';

/** An estimate's status as a chip with its word (colour is never the only signal). */
export function EstimateStatusChip({ status }: { status: EstimateStatus }) {
  return (
    <span className={`es-status es-status--${status}`} data-estimate-status={status}>
      {ESTIMATE_STATUS_LABEL[status]}
    </span>
  );
}
