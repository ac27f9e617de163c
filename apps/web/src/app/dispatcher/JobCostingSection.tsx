import { formatCents, jobEarnedCents } from '@fieldsync/domain';
import { type FormEvent, useId, useMemo, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { useOrganization } from '../shell/use-organization';
import { EstimateNumber, EstimateStatusChip } from './estimate-ui';
import { type JobCostingField, jobCostingChange, jobCostingTyped } from './job-costing-form';
import { routeHref } from './route';
import './estimates.css';

type Job = LocalRow<'jobs'>;

/** A job's costs as the domain reads them; a row pulled before jobs had costs has none. */
function costsOf(job: Job) {
  return {
    agreedCostCents: job.agreedCostCents ?? null,
    actualCostCents: job.actualCostCents ?? null,
    costDifferenceReason: job.costDifferenceReason ?? null,
  };
}

/**
 * The job's money: what the customer agreed to (from the accepted estimate,
 * linked), what it really cost with the reason when the two differ, and what
 * the job earned. Saving sends `job.update` with only the changed fields.
 */
export function JobCostingSection({ job }: { job: Job }) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const currency = clock.organization?.currency ?? 'USD';
  const estimates = useLiveQuery(() => db.estimates.where('jobId').equals(job.id).toArray(), [db, job.id], undefined);
  const accepted = useMemo(
    () => estimates?.find((estimate) => estimate.status === 'accepted' && !estimate.deletedAt),
    [estimates],
  );
  const openEstimates = useMemo(
    () => estimates?.filter((estimate) => !estimate.deletedAt && estimate !== accepted) ?? [],
    [estimates, accepted],
  );
  const costs = costsOf(job);
  const earned = jobEarnedCents(costs);
  // Kept here: the form below starts afresh once the saved costs change, which a save itself does.
  const [saved, setSaved] = useState(false);
  const money = (cents: number) => formatCents(cents, currency);

  return (
    <section className="dsp-box" aria-labelledby="est-costing-h" data-testid="job-costing">
      <h2 id="est-costing-h">Costing</h2>
      <dl className="dsp-dl">
        <dt>Agreed cost</dt>
        <dd data-testid="job-agreed-cost">
          {costs.agreedCostCents !== null ? (
            <>
              <strong>{money(costs.agreedCostCents)}</strong>
              {accepted ? (
                <>
                  {' '}
                  from{' '}
                  <a href={routeHref({ name: 'estimate', estimateId: accepted.id })}>
                    <EstimateNumber number={accepted.number} />
                  </a>
                </>
              ) : null}
            </>
          ) : (
            <span className="dsp-muted">Not agreed yet: it is set when the customer accepts an estimate.</span>
          )}
        </dd>
        <dt>{job.status === 'completed' ? 'Earned' : 'Will earn'}</dt>
        <dd data-testid="job-earned">
          {earned === null ? <span className="dsp-muted">Nothing known yet</span> : <strong>{money(earned)}</strong>}
          {earned !== null && costs.actualCostCents === null ? (
            <span className="dsp-muted"> (the agreed cost, until the actual one is in)</span>
          ) : null}
        </dd>
      </dl>
      {openEstimates.length ? (
        <ul className="est-mini-list" aria-label="Other estimates for this job">
          {openEstimates.map((estimate) => (
            <li key={estimate.id}>
              <span className="est-mini-meta">
                <EstimateStatusChip status={estimate.status} />
                <a href={routeHref({ name: 'estimate', estimateId: estimate.id })}>{estimate.title}</a>
                <span>{formatCents(estimate.totalCents, estimate.currency)}</span>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {!accepted && job.customerId ? (
        <p>
          <a href={routeHref({ name: 'new-estimate', customerId: job.customerId, jobId: job.id })}>
            New estimate for this job
          </a>
        </p>
      ) : null}
      {/* Remounted when the saved costs change (a save, a sync), so the form always starts from them. */}
      <ActualCostForm
        key={`${costs.actualCostCents}:${costs.costDifferenceReason}`}
        job={job}
        currency={currency}
        saved={saved}
        onSaved={setSaved}
      />
    </section>
  );
}

function ActualCostForm({
  job,
  currency,
  saved,
  onSaved,
}: {
  job: Job;
  currency: string;
  saved: boolean;
  onSaved: (saved: boolean) => void;
}) {
  const client = useFieldsync();
  const { run, error, busy } = useAction('computer');
  const costs = costsOf(job);
  const [typed, setTypedState] = useState(() => jobCostingTyped(costs));
  const [issues, setIssues] = useState<Partial<Record<JobCostingField | '', string>>>({});
  const id = useId();
  const setTyped = (next: typeof typed) => {
    setTypedState(next);
    onSaved(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    onSaved(false);
    const change = jobCostingChange({ id: job.id, ...costs }, typed);
    if (change.kind === 'invalid') {
      setIssues(change.issues);
      return;
    }
    setIssues({});
    if (change.kind === 'unchanged') return;
    const ok = await run(() => client.mutate('job.update', { id: job.id, patch: change.patch, base: change.base }));
    onSaved(ok);
  };

  const field = (name: JobCostingField) => ({
    id: `${id}-${name}`,
    'aria-invalid': Boolean(issues[name]),
    'aria-describedby': issues[name] ? `${id}-${name}-error` : undefined,
  });
  const problem = (name: JobCostingField) =>
    issues[name] ? (
      <p id={`${id}-${name}-error`} className="dsp-error" role="alert">
        {issues[name]}
      </p>
    ) : null;

  return (
    <form className="est-costing-form" onSubmit={submit} noValidate>
      <div className={`dsp-field${issues.actualCost ? ' dsp-field-invalid' : ''}`}>
        <label htmlFor={`${id}-actualCost`}>Actual cost ({currency})</label>
        <input
          {...field('actualCost')}
          inputMode="decimal"
          autoComplete="off"
          placeholder="e.g. 1,250.00"
          value={typed.actualCost}
          onChange={(event) => setTyped({ ...typed, actualCost: event.target.value })}
        />
        {problem('actualCost')}
      </div>
      <div className={`dsp-field${issues.reason ? ' dsp-field-invalid' : ''}`}>
        <label htmlFor={`${id}-reason`}>Reason for the difference</label>
        <textarea
          {...field('reason')}
          rows={2}
          maxLength={2000}
          value={typed.reason}
          onChange={(event) => setTyped({ ...typed, reason: event.target.value })}
        />
        {issues.reason ? null : <p className="dsp-hint">Needed when the actual cost differs from the agreed cost.</p>}
        {problem('reason')}
      </div>
      {issues[''] || error ? (
        <p className="dsp-form-error" role="alert">
          {issues[''] ?? error}
        </p>
      ) : null}
      <div className="dsp-form-actions">
        <button type="submit" className="dsp-button dsp-button-primary" disabled={busy}>
          Save costs
        </button>
        {saved ? (
          <span className="dsp-ok" role="status">
            Saved
          </span>
        ) : null}
      </div>
    </form>
  );
}
