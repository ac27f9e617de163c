import type { JobStatus } from '@fieldsync/domain';
import { JOB_STATUS_LABEL } from '../shell/labels';

/** A job status as a coloured chip with a text label (colour is never the only signal). */
export function StatusChip({ status }: { status: JobStatus }) {
  return (
    <span className={`ct-status ct-status--${status}`} data-status={status}>
      {JOB_STATUS_LABEL[status]}
    </span>
  );
}
