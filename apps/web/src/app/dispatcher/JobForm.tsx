import {
  JOB_TOO_LONG_MESSAGE,
  MAX_JOB_DURATION_MINUTES,
  MIN_JOB_DURATION_MINUTES,
  MULTI_TRADE,
  matchSkills,
  PRIORITIES,
  TRADES,
} from '@fieldsync/domain';
import { EDITABLE_FIELDS, mutationArgsSchemas } from '@fieldsync/protocol';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { type LocalRow, newId } from '../../sync';
import { useFieldsync } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { useOrganization } from '../shell/use-organization';
import { useContractors, useCustomersById } from './dispatcher-data';
import { blankToUndefined, type FieldIssues, issuesByField, numberOrUndefined } from './form-issues';
import { todayIn } from './format';
import { type DispatcherRoute, routeHref } from './route';
import { EnumField, Field, JobNumber, TextField } from './ui';

type JobDraft = {
  title: string;
  customerId: string;
  trade: string;
  priority: string;
  desiredDate: string;
  durationMinutes: string;
  address: string;
  lat: string;
  lng: string;
  description: string;
  specialRequirements: string;
  /** Comma-separated skill labels. */
  requiredSkills: string;
  requiresSignature: boolean;
};

function draftOf(job: LocalRow<'jobs'> | undefined, customerId: string | undefined, today: string): JobDraft {
  return {
    title: job?.title ?? '',
    customerId: job?.customerId ?? customerId ?? '',
    trade: job?.trade ?? 'flooring',
    priority: job?.priority ?? 'medium',
    desiredDate: job ? (job.desiredDate ?? '') : today,
    durationMinutes: String(job?.durationMinutes ?? 120),
    address: job?.address ?? '',
    lat: job?.lat == null ? '' : String(job.lat),
    lng: job?.lng == null ? '' : String(job.lng),
    description: job?.description ?? '',
    specialRequirements: (job?.specialRequirements ?? []).join('\n'),
    // Rows pulled before jobs had these fields lack them.
    requiredSkills: (job?.requiredSkills ?? []).join(', '),
    requiresSignature: job?.requiresSignature ?? false,
  };
}

/** "hardwood refinishing, stairs" → the labels, blanks and repeats (any letter case) dropped. */
function skillsOf(text: string): string[] {
  const labels = text.split(',').map((label) => label.trim());
  return matchSkills(labels, []).missing;
}

/** Customers sharing a name are told apart by where they are and how to reach them. */
function customerOptionText(customer: LocalRow<'customers'>): string {
  const details = [customer.address, customer.phone].filter((part): part is string => Boolean(part?.trim()));
  return details.length > 0 ? `${customer.name} — ${details.join(' · ')}` : customer.name;
}

/** The draft as job fields; blanks become null (edit) or are left out (create). */
function fieldsOf(draft: JobDraft) {
  return {
    title: draft.title.trim(),
    customerId: draft.customerId || null,
    trade: draft.trade,
    priority: draft.priority,
    desiredDate: blankToUndefined(draft.desiredDate) ?? null,
    durationMinutes: numberOrUndefined(draft.durationMinutes),
    address: blankToUndefined(draft.address) ?? null,
    lat: numberOrUndefined(draft.lat) ?? null,
    lng: numberOrUndefined(draft.lng) ?? null,
    description: blankToUndefined(draft.description) ?? null,
    specialRequirements: draft.specialRequirements
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    requiredSkills: skillsOf(draft.requiredSkills),
    requiresSignature: draft.requiresSignature,
  };
}

/** The form's issues, with a too-long job told what to do instead of only the limit. */
function withDurationAdvice(issues: FieldIssues, durationMinutes: number | undefined): FieldIssues {
  if (durationMinutes === undefined || !(durationMinutes > MAX_JOB_DURATION_MINUTES)) return issues;
  return { ...issues, durationMinutes: JOB_TOO_LONG_MESSAGE };
}

/**
 * Create or edit a job. Validation is the mutation's own args schema from
 * the protocol, its issues shown beside each field; the job number is left
 * to the server (it appears once the job has synced).
 */
export function JobForm({
  job,
  customerId,
  navigate,
}: {
  job?: LocalRow<'jobs'>;
  customerId?: string;
  navigate: (route: DispatcherRoute) => void;
}) {
  const client = useFieldsync();
  const customers = useCustomersById();
  const contractors = useContractors();
  const clock = useOrganization();
  const [draft, setDraft] = useState(() => draftOf(job, customerId, todayIn(clock)));
  const [issues, setIssues] = useState<FieldIssues>({});
  const action = useAction('computer');
  const sortedCustomers = useMemo(
    () => [...customers.values()].filter((c) => !c.archived).sort((a, b) => a.name.localeCompare(b.name)),
    [customers],
  );

  const set = (field: Exclude<keyof JobDraft, 'requiresSignature'>) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [field]: event.target.value }));

  // How many could take the job with these skills: a typo or a rare skill shows before saving.
  const skills = useMemo(() => skillsOf(draft.requiredSkills), [draft.requiredSkills]);
  const skilledCount = useMemo(
    () =>
      contractors.filter(
        (c) =>
          c.status === 'active' &&
          (c.trade === draft.trade || c.trade === MULTI_TRADE) &&
          matchSkills(skills, c.skills ?? []).missing.length === 0,
      ).length,
    [contractors, draft.trade, skills],
  );
  const draftMinutes = numberOrUndefined(draft.durationMinutes);
  const durationHint =
    draftMinutes !== undefined && draftMinutes > MAX_JOB_DURATION_MINUTES
      ? JOB_TOO_LONG_MESSAGE
      : `${MIN_JOB_DURATION_MINUTES} minutes to 8 hours (${MAX_JOB_DURATION_MINUTES} minutes)`;

  const prefillFrom = (id: string) => {
    setDraft((current) => {
      const customer = customers.get(id);
      // A new job usually happens at the customer's address: fill it while the field is blank.
      if (!customer || current.address.trim() !== '') return { ...current, customerId: id };
      return {
        ...current,
        customerId: id,
        address: customer.address ?? '',
        lat: customer.lat == null ? current.lat : String(customer.lat),
        lng: customer.lng == null ? current.lng : String(customer.lng),
      };
    });
  };

  // A job started from a customer (e.g. right after creating them) gets their address once their row is loaded.
  const prefilled = useRef(false);
  const presetCustomer = job ? undefined : customerId;
  const presetLoaded = presetCustomer !== undefined && customers.has(presetCustomer);
  useEffect(() => {
    if (prefilled.current || !presetLoaded || presetCustomer === undefined) return;
    prefilled.current = true;
    prefillFrom(presetCustomer);
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fields = fieldsOf(draft);
    setIssues({});
    await action.run(async () => {
      if (!job) {
        const args = {
          id: newId(),
          ...fields,
          desiredDate: fields.desiredDate ?? undefined,
          address: fields.address ?? undefined,
          lat: fields.lat ?? undefined,
          lng: fields.lng ?? undefined,
          description: fields.description ?? undefined,
        };
        const parsed = mutationArgsSchemas['job.create'].safeParse(args);
        if (!parsed.success) {
          setIssues(withDurationAdvice(issuesByField(parsed.error), fields.durationMinutes));
          return;
        }
        await client.mutate('job.create', parsed.data);
        navigate({ name: 'job', jobId: parsed.data.id });
        return;
      }
      const patch: Record<string, unknown> = {};
      const base: Record<string, unknown> = {};
      // A row pulled before jobs had these fields holds the server's defaults for them.
      const saved = {
        ...job,
        requiredSkills: job.requiredSkills ?? [],
        requiresSignature: job.requiresSignature ?? false,
      };
      for (const field of EDITABLE_FIELDS.jobs) {
        const next = (fields as Record<string, unknown>)[field];
        const before = saved[field] ?? null;
        if (next === undefined) {
          if (field === 'durationMinutes') patch[field] = Number.NaN;
          continue;
        }
        if (JSON.stringify(next) !== JSON.stringify(before)) {
          patch[field] = next;
          base[field] = before;
        }
      }
      if (Object.keys(patch).length === 0) {
        navigate({ name: 'job', jobId: job.id });
        return;
      }
      const parsed = mutationArgsSchemas['job.update'].safeParse({ id: job.id, patch, base });
      if (!parsed.success) {
        setIssues(withDurationAdvice(issuesByField(parsed.error), fields.durationMinutes));
        return;
      }
      await client.mutate('job.update', { id: job.id, patch: parsed.data.patch });
      navigate({ name: 'job', jobId: job.id });
    });
  };

  const fieldIds = (name: string) => `dsp-job-${name}`;
  const formError = issues[''] ?? action.error;
  return (
    <section className="dsp-page dsp-form-page" aria-labelledby="dsp-job-form-title">
      <header className="dsp-page-head">
        <div>
          <a className="dsp-back" href={job ? routeHref({ name: 'job', jobId: job.id }) : routeHref({ name: 'board' })}>
            ← {job ? 'Back to job' : 'Jobs'}
          </a>
          <h1 id="dsp-job-form-title">{job ? 'Edit job' : 'New job'}</h1>
          {job ? (
            <p className="dsp-muted">
              <JobNumber jobNumber={job.jobNumber} />
            </p>
          ) : (
            <p className="dsp-muted">The job number is given by the server when the job syncs.</p>
          )}
        </div>
      </header>
      <form className="dsp-form" onSubmit={submit} noValidate>
        {formError ? (
          <p className="dsp-form-error" role="alert">
            {formError}
          </p>
        ) : null}
        <TextField
          id={fieldIds('title')}
          label="Title"
          error={issues.title}
          wide
          value={draft.title}
          onChange={set('title')}
          autoComplete="off"
        />
        <Field id={fieldIds('customer')} label="Customer" error={issues.customerId}>
          {(props) => (
            <div className="dsp-inline">
              <select {...props} value={draft.customerId} onChange={(event) => prefillFrom(event.target.value)}>
                <option value="">No customer</option>
                {sortedCustomers.map((customer) => (
                  <option key={customer.id} value={customer.id}>
                    {customerOptionText(customer)}
                  </option>
                ))}
              </select>
              <a className="dsp-link-button" href={routeHref({ name: 'new-customer' })}>
                New…
              </a>
            </div>
          )}
        </Field>
        <EnumField
          id={fieldIds('trade')}
          label="Trade"
          error={issues.trade}
          value={draft.trade}
          onChange={set('trade')}
          options={TRADES}
        />
        <EnumField
          id={fieldIds('priority')}
          label="Priority"
          error={issues.priority}
          value={draft.priority}
          onChange={set('priority')}
          options={PRIORITIES}
        />
        <TextField
          id={fieldIds('date')}
          label="Desired date"
          error={issues.desiredDate}
          type="date"
          value={draft.desiredDate}
          onChange={set('desiredDate')}
        />
        <Field id={fieldIds('duration')} label="Duration (minutes)" error={issues.durationMinutes} hint={durationHint}>
          {(props) => (
            <input
              {...props}
              type="number"
              inputMode="numeric"
              min={MIN_JOB_DURATION_MINUTES}
              max={MAX_JOB_DURATION_MINUTES}
              step={15}
              value={draft.durationMinutes}
              onChange={set('durationMinutes')}
            />
          )}
        </Field>
        <TextField
          id={fieldIds('address')}
          label="Address"
          error={issues.address}
          wide
          value={draft.address}
          onChange={set('address')}
          autoComplete="off"
        />
        <TextField
          id={fieldIds('lat')}
          label="Latitude"
          error={issues.lat}
          inputMode="decimal"
          value={draft.lat}
          onChange={set('lat')}
        />
        <TextField
          id={fieldIds('lng')}
          label="Longitude"
          error={issues.lng}
          inputMode="decimal"
          value={draft.lng}
          onChange={set('lng')}
        />
        <Field id={fieldIds('description')} label="Description" error={issues.description} wide>
          {(props) => <textarea {...props} rows={4} value={draft.description} onChange={set('description')} />}
        </Field>
        <Field
          id={fieldIds('requirements')}
          label="Special requirements"
          error={issues.specialRequirements}
          hint="One per line"
          wide
        >
          {(props) => (
            <textarea {...props} rows={3} value={draft.specialRequirements} onChange={set('specialRequirements')} />
          )}
        </Field>
        <TextField
          id={fieldIds('skills')}
          label="Required skills"
          error={issues.requiredSkills}
          hint={
            skills.length === 0
              ? 'Separated by commas, e.g. hardwood refinishing, stairs. Only contractors with all of them are recommended.'
              : `${skilledCount} active ${skilledCount === 1 ? 'contractor' : 'contractors'} of this trade ${
                  skilledCount === 1 ? 'has' : 'have'
                } all of them.`
          }
          wide
          value={draft.requiredSkills}
          onChange={set('requiredSkills')}
          autoComplete="off"
        />
        {/* Not a .dsp-field: its full-width input rule would stretch the box. */}
        <div className="dsp-field-wide">
          <label className="dsp-check" htmlFor={fieldIds('signature')}>
            <input
              id={fieldIds('signature')}
              type="checkbox"
              checked={draft.requiresSignature}
              onChange={(event) => setDraft((current) => ({ ...current, requiresSignature: event.target.checked }))}
            />
            Customer signature required
          </label>
        </div>
        <div className="dsp-form-actions">
          <button type="submit" className="dsp-button dsp-button-primary" disabled={action.busy}>
            {job ? 'Save changes' : 'Create job'}
          </button>
          <a
            className="dsp-button"
            href={job ? routeHref({ name: 'job', jobId: job.id }) : routeHref({ name: 'board' })}
          >
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
