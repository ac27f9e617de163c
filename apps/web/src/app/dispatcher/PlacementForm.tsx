import { type FormEvent, useId, useMemo, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useOrganization } from '../shell/use-organization';
import { formatDuration, formatLocalDate, formatTime, formatWallTime, humanize } from './format';
import { checkPlacement, moveToOtherMessage, type PlacementCheck } from './placement-check';
import { type Interval, minutesBetween, slotInterval } from './schedule-layout';
import './schedule.css';

/** Where a job is being put: a contractor, a company-local date and a start time. */
export type PlacementValues = { contractorId: string; date: string; time: string };

/** What the form hands back when the dispatcher confirms. */
export type Placement = { contractor: LocalRow<'contractors'>; interval: Interval };

type PlacementFormProps = {
  job: LocalRow<'jobs'>;
  /** The assignment being moved; absent when the job is being scheduled. */
  moving?: LocalRow<'assignments'> | undefined;
  contractors: readonly LocalRow<'contractors'>[];
  workingHours: readonly LocalRow<'workingHours'>[];
  /** Every assignment on the device. */
  assignments: readonly LocalRow<'assignments'>[];
  initial: PlacementValues;
  /** The submit button's words, with and without warnings to accept. */
  submitLabel: { plain: string; anyway: string };
  busy?: boolean;
  /** Answers whether the change was queued; the form stays as it is when not. */
  onSubmit: (placement: Placement) => Promise<boolean> | boolean;
  onCancel?: () => void;
  /** An error from queuing the change, shown above the buttons. */
  error?: string | null | undefined;
};

/** Contractors for a picker: active ones first, then by name. */
export function contractorsForPicking<T extends { status: string; name: string }>(contractors: readonly T[]): T[] {
  return [...contractors].sort(
    (a, b) => Number(b.status === 'active') - Number(a.status === 'active') || a.name.localeCompare(b.name),
  );
}

/**
 * Contractor, date and start time for a job, with the same refusal and
 * warnings the schedule shows while dragging: the keyboard's way to
 * schedule or move, and the confirmation of a drop that needs one. The
 * length is the job's (or, for a move, the visit's own).
 */
export function PlacementForm(props: PlacementFormProps) {
  const { job, moving, contractors } = props;
  const clock = useOrganization();
  const id = useId();
  const [values, setValues] = useState(props.initial);
  const [timeError, setTimeError] = useState<string | null>(null);

  const duration = moving ? minutesBetween(moving.scheduledStart, moving.scheduledEnd) : job.durationMinutes;
  const contractor = contractors.find((c) => c.id === values.contractorId);
  const from = moving ? contractors.find((c) => c.id === moving.contractorId) : undefined;

  const interval = useMemo(() => {
    const match = /^(\d{2}):(\d{2})/.exec(values.time);
    if (!match || !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) return null;
    return slotInterval(
      { date: values.date, minutes: Number(match[1]) * 60 + Number(match[2]) },
      duration,
      clock.timeZone,
    );
  }, [values.date, values.time, duration, clock.timeZone]);

  const check: PlacementCheck | null =
    contractor && interval
      ? checkPlacement({
          booking: { id: moving?.id ?? '', jobId: job.id, ...interval },
          jobStatus: job.status,
          jobTrade: job.trade,
          contractor,
          // A move keeps the visit's id, so it never clashes with where it is now.
          theirs: props.assignments.filter((a) => a.contractorId === contractor.id),
          workingHours: props.workingHours.filter((row) => row.contractorId === contractor.id),
          timeZone: clock.timeZone,
          nowMs: Date.now(),
          formatWallTime: (time) => formatWallTime(time, clock),
        })
      : null;
  const warnings = check?.kind === 'ok' ? check.warnings : [];
  const toSomeoneElse = moving && contractor && moving.contractorId !== contractor.id;
  const unchanged =
    moving &&
    interval &&
    !toSomeoneElse &&
    Date.parse(interval.start) === Date.parse(moving.scheduledStart) &&
    Date.parse(interval.end) === Date.parse(moving.scheduledEnd);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!interval) {
      setTimeError('Enter a date and a start time.');
      return;
    }
    setTimeError(null);
    if (!contractor || check?.kind !== 'ok' || unchanged) return;
    await props.onSubmit({ contractor, interval });
  };

  const set = (patch: Partial<PlacementValues>) => setValues((current) => ({ ...current, ...patch }));

  return (
    <form className="dsp-sch-form" onSubmit={(event) => void submit(event)} noValidate>
      <div className="dsp-field">
        <label htmlFor={`${id}-contractor`}>Contractor</label>
        <select
          id={`${id}-contractor`}
          value={values.contractorId}
          onChange={(event) => set({ contractorId: event.target.value })}
        >
          {contractorsForPicking(contractors).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} — {humanize(c.trade)}
              {c.status !== 'active' ? ` (${humanize(c.status).toLowerCase()})` : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="dsp-sch-form-when">
        <div className="dsp-field">
          <label htmlFor={`${id}-date`}>Date</label>
          <input
            id={`${id}-date`}
            type="date"
            required
            value={values.date}
            onChange={(event) => set({ date: event.target.value })}
          />
        </div>
        <div className="dsp-field">
          <label htmlFor={`${id}-time`}>Start time</label>
          <input
            id={`${id}-time`}
            type="time"
            step={900}
            required
            value={values.time}
            aria-invalid={Boolean(timeError)}
            aria-describedby={timeError ? `${id}-time-error` : undefined}
            onChange={(event) => set({ time: event.target.value })}
          />
        </div>
      </div>
      {timeError ? (
        <p id={`${id}-time-error`} className="dsp-error" role="alert">
          {timeError}
        </p>
      ) : null}

      <p className="dsp-sch-form-summary" aria-live="polite">
        {interval ? (
          <>
            {formatLocalDate(values.date)} · {formatTime(interval.start, clock)}–{formatTime(interval.end, clock)} (
            {formatDuration(duration)})
          </>
        ) : (
          `${formatDuration(duration)} long`
        )}
      </p>
      {toSomeoneElse && from ? (
        <p className="dsp-notice dsp-notice-warn" data-testid="move-explanation">
          {moveToOtherMessage(from.name, contractor.name)}
        </p>
      ) : null}
      {check?.kind === 'refused' ? (
        <p className="dsp-notice dsp-notice-error" role="alert" data-testid="placement-refusal">
          {check.message}
        </p>
      ) : null}
      {warnings.length > 0 ? (
        <ul className="dsp-sch-warnings" data-testid="placement-warnings">
          {warnings.map((warning) => (
            <li key={warning}>
              <span aria-hidden="true">⚠ </span>
              {warning}
            </li>
          ))}
        </ul>
      ) : null}
      {unchanged ? <p className="dsp-muted">That is where it is now.</p> : null}
      {props.error ? (
        <p className="dsp-form-error" role="alert">
          {props.error}
        </p>
      ) : null}

      <div className="dsp-form-actions">
        <button
          type="submit"
          className="dsp-button dsp-button-primary"
          disabled={props.busy || check?.kind === 'refused' || Boolean(unchanged) || !contractor}
        >
          {toSomeoneElse
            ? `Move to ${contractor.name}${warnings.length > 0 ? ' anyway' : ''}`
            : warnings.length > 0
              ? props.submitLabel.anyway
              : props.submitLabel.plain}
        </button>
        {props.onCancel ? (
          <button type="button" className="dsp-button" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
