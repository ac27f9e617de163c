import { NUMBER_PENDING_TEXT } from './estimate-list';
import './estimates.css';

// One status chip for the phone and the office.
export { EstimateStatusChip } from '../estimates/EstimateStatusChip';

/** The estimate number, or words saying the server draws it when the estimate reaches it. */
export function EstimateNumber({ number }: { number: string }) {
  if (number) return <span className="est-number">{number}</span>;
  return <span className="est-number est-number-pending">{NUMBER_PENDING_TEXT}</span>;
}

/** "Expires soon" beside a sent estimate whose last valid day is close. */
export function ExpiresSoonMark() {
  return (
    <span className="est-expiring" title="Sent, and its last valid day is within three days">
      Expires soon
    </span>
  );
}
