import { PRIORITIES, TRADES } from '@fieldsync/domain';
import { EDITABLE_FIELDS, mutationArgsSchemas } from '@fieldsync/protocol';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { type LocalRow, newId } from '../../sync';
import { useFieldsync } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { useOrganization } from '../shell/use-organization';
import { useCustomersById } from './dispatcher-data';
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
  };
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
  };
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
  const clock = useOrganization();
  const [draft, setDraft] = useState(() => draftOf(job, customerId, todayIn(clock)));
  const [issues, setIssues] = useState<FieldIssues>({});
  const action = useAction('computer');
  const sortedCustomers = useMemo(
    () => [...customers.values()].filter((c) => !c.archived).sort((a, b) => a.name.localeCompare(b.name)),
    [customers],
  );

  const set = (field: keyof JobDraft) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [field]: event.target.value }));

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
          setIssues(issuesByField(parsed.error));
          return;
        }
        await client.mutate('job.create', parsed.data);
        navigate({ name: 'job', jobId: parsed.data.id });
        return;
      }
      const patch: Record<string, unknown> = {};
      const base: Record<string, unknown> = {};
      for (const field of EDITABLE_FIELDS.jobs) {
        const next = (fields as Record<string, unknown>)[field];
        const before = job[field] ?? null;
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
        setIssues(issuesByField(parsed.error));
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
                    {customer.name}
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
        <Field id={fieldIds('duration')} label="Duration (minutes)" error={issues.durationMinutes} hint="30 to 480">
          {(props) => (
            <input
              {...props}
              type="number"
              inputMode="numeric"
              min={30}
              max={480}
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
