import type { LocalRow } from '../../sync';
import { Sheet } from '../shell/Sheet';
import { type Placement, PlacementForm, type PlacementValues } from './PlacementForm';

/** What the dialog is for: scheduling a job nobody is on, or moving one visit. */
export type ScheduleDialogSubject =
  | { kind: 'job'; job: LocalRow<'jobs'> }
  | { kind: 'assignment'; assignment: LocalRow<'assignments'>; job: LocalRow<'jobs'> };

type ScheduleDialogProps = {
  subject: ScheduleDialogSubject | null;
  initial: PlacementValues;
  /** Set when a drop needs confirming: the dialog opens on the dropped place. */
  confirming: boolean;
  contractors: readonly LocalRow<'contractors'>[];
  workingHours: readonly LocalRow<'workingHours'>[];
  assignments: readonly LocalRow<'assignments'>[];
  busy: boolean;
  error: string | null;
  onSubmit: (subject: ScheduleDialogSubject, placement: Placement) => Promise<boolean>;
  onClose: () => void;
};

/**
 * "Schedule…" and "Move…": the keyboard's way to do what dragging does,
 * and the confirmation of a drop outside working hours or onto another
 * contractor's row, with the same words.
 */
export function ScheduleDialog(props: ScheduleDialogProps) {
  const { subject } = props;
  const moving = subject?.kind === 'assignment' ? subject.assignment : undefined;
  const title = subject
    ? `${props.confirming ? 'Confirm: ' : ''}${moving ? 'Move' : 'Schedule'} ${subject.job.title}`
    : 'Schedule';
  return (
    <Sheet open={subject !== null} onClose={props.onClose} title={title}>
      {subject ? (
        <div className="dsp-sch-dialog" data-testid="schedule-dialog">
          {props.confirming ? (
            <p className="dsp-muted">Check where it lands before you confirm; you can still change it here.</p>
          ) : null}
          <PlacementForm
            // A new subject or drop starts from its own values.
            key={`${moving?.id ?? subject.job.id}|${props.initial.contractorId}|${props.initial.date}|${props.initial.time}`}
            job={subject.job}
            moving={moving}
            contractors={props.contractors}
            workingHours={props.workingHours}
            assignments={props.assignments}
            initial={props.initial}
            submitLabel={
              moving ? { plain: 'Move', anyway: 'Move anyway' } : { plain: 'Propose', anyway: 'Propose anyway' }
            }
            busy={props.busy}
            error={props.error}
            onSubmit={(placement) => props.onSubmit(subject, placement)}
            onCancel={props.onClose}
          />
        </div>
      ) : null}
    </Sheet>
  );
}
