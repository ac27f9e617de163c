/**
 * Marks a note or material the server took although the office had already
 * cancelled (or taken away) the job: it was written on the phone before the
 * news reached it. A row without the field counts as not marked.
 */
export function LateWorkMark({ row }: { row: { recordedAfterCancellation?: boolean | undefined } }) {
  if (row.recordedAfterCancellation !== true) return null;
  return <span className="ct-badge ct-badge--late">Recorded after cancellation</span>;
}
