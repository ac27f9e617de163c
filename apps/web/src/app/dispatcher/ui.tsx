import type { JobStatus, Priority } from '@fieldsync/domain';
import { type InputHTMLAttributes, type ReactNode, useState } from 'react';
import type { RejectedChange } from '../../sync';
import { changeDetails, JOB_STATUS_LABEL } from '../shell/labels';
import { humanize } from './format';

/** Colour-coded job status. */
export function StatusBadge({ status }: { status: JobStatus }) {
  return <span className={`dsp-badge dsp-status-${status}`}>{JOB_STATUS_LABEL[status]}</span>;
}

/** Priority; urgent and high stand out. */
export function PriorityTag({ priority }: { priority: Priority }) {
  return <span className={`dsp-priority dsp-priority-${priority}`}>{humanize(priority)}</span>;
}

/** The job number, or a note that the server has not numbered it yet. */
export function JobNumber({ jobNumber }: { jobNumber: string | null | undefined }) {
  if (jobNumber) return <span className="dsp-jobnum">{jobNumber}</span>;
  return (
    <span className="dsp-jobnum dsp-jobnum-pending" title="The server gives the job its number when it syncs">
      Number on sync
    </span>
  );
}

/** A small "not sent yet" mark for rows changed on this device. */
export function PendingMark({ pending }: { pending: number | undefined }) {
  if (pending === undefined) return null;
  return (
    <span className="dsp-pending" title="Saved on this device, not yet sent to the server">
      <span aria-hidden="true">●</span> not sent
    </span>
  );
}

type FieldProps = {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
  wide?: boolean;
};

/** A labelled form control with its validation message underneath. */
export function Field({ id, label, error, hint, children, wide }: FieldProps) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`dsp-field${wide ? ' dsp-field-wide' : ''}${error ? ' dsp-field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint && !error ? (
        <p id={`${id}-hint`} className="dsp-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="dsp-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

type FieldFrame = Omit<FieldProps, 'children'>;

/** A labelled text input; any other input attributes pass through. */
export function TextField({
  id,
  label,
  error,
  hint,
  wide,
  ...input
}: FieldFrame & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>) {
  return (
    <Field id={id} label={label} error={error} {...(hint ? { hint } : {})} {...(wide ? { wide } : {})}>
      {(props) => <input {...input} {...props} />}
    </Field>
  );
}

/** A labelled select over a closed set of values (trades, statuses, …), shown in words. */
export function EnumField({
  id,
  label,
  error,
  value,
  options,
  onChange,
}: FieldFrame & {
  value: string;
  options: readonly string[];
  onChange: (event: { target: { value: string } }) => void;
}) {
  return (
    <Field id={id} label={label} error={error}>
      {(props) => (
        <select {...props} value={value} onChange={onChange}>
          {options.map((option) => (
            <option key={option} value={option}>
              {humanize(option)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Changes the server refused or that lost a conflict, each with its reason and a Dismiss button. */
export function RefusedChanges({
  changes,
  lead,
  onDismiss,
}: {
  changes: readonly RejectedChange[];
  /** The bold words before the reason, per change. */
  lead: (change: RejectedChange) => string;
  /** Deletes the change for good; only called after the person confirmed. */
  onDismiss: (id: number) => void;
}) {
  return changes.map((change) => (
    <RefusedChange key={change.id ?? change.seq} change={change} lead={lead(change)} onDelete={onDismiss} />
  ));
}

/** One refused change with what it held; never removed without "Delete" and a confirmation. */
function RefusedChange({
  change,
  lead,
  onDelete,
}: {
  change: RejectedChange;
  lead: string;
  onDelete: (id: number) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const details = changeDetails(change.name, change.args);
  return (
    <div className="dsp-notice dsp-notice-error" role="alert">
      <strong>{lead}</strong>
      {change.message}
      {details.length ? (
        <span className="dsp-refused-content">
          {details.map((detail) => `${detail.label}: ${detail.value}`).join(' · ')}
        </span>
      ) : null}
      {change.id !== undefined && !confirming ? (
        <button type="button" className="dsp-link-button" onClick={() => setConfirming(true)}>
          Delete…
        </button>
      ) : null}
      {change.id !== undefined && confirming ? (
        <span className="dsp-refused-confirm">
          Delete it for good?{' '}
          <button type="button" className="dsp-link-button" onClick={() => onDelete(change.id as number)}>
            Delete
          </button>{' '}
          <button type="button" className="dsp-link-button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : null}
    </div>
  );
}

/** A 0–1 score as a labelled bar. */
export function ScoreBar({ label, value, weight }: { label: string; value: number; weight?: number }) {
  const percent = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div className="dsp-scorebar">
      <span className="dsp-scorebar-label">
        {label}
        {weight !== undefined ? <span className="dsp-muted"> ×{weight.toFixed(2)}</span> : null}
      </span>
      <span className="dsp-scorebar-track" aria-hidden="true">
        <span className={`dsp-scorebar-fill dsp-scorebar-${label.toLowerCase()}`} style={{ width: `${percent}%` }} />
      </span>
      <span className="dsp-scorebar-value">
        {percent}
        <span className="dsp-visually-hidden"> out of 100</span>
      </span>
    </div>
  );
}
