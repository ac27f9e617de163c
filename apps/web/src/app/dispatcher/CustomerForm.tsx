import { EDITABLE_FIELDS, mutationArgsSchemas } from '@fieldsync/protocol';
import { type FormEvent, useState } from 'react';
import { type LocalRow, newId } from '../../sync';
import { useFieldsync } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { blankToUndefined, type FieldIssues, issuesByField, numberOrUndefined } from './form-issues';
import { type DispatcherRoute, routeHref } from './route';
import { Field, TextField } from './ui';

type CustomerDraft = Record<'name' | 'phone' | 'email' | 'address' | 'lat' | 'lng' | 'notes', string>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function draftOf(customer: LocalRow<'customers'> | undefined): CustomerDraft {
  return {
    name: customer?.name ?? '',
    phone: customer?.phone ?? '',
    email: customer?.email ?? '',
    address: customer?.address ?? '',
    lat: customer?.lat == null ? '' : String(customer.lat),
    lng: customer?.lng == null ? '' : String(customer.lng),
    notes: customer?.notes ?? '',
  };
}

/**
 * Create or edit a customer, validated with the protocol's args schema. A
 * new customer leads straight on to a new job for them.
 */
export function CustomerForm({
  customer,
  navigate,
}: {
  customer?: LocalRow<'customers'>;
  navigate: (route: DispatcherRoute) => void;
}) {
  const client = useFieldsync();
  const [draft, setDraft] = useState(() => draftOf(customer));
  const [issues, setIssues] = useState<FieldIssues>({});
  const action = useAction('computer');
  const set = (field: keyof CustomerDraft) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [field]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fields = {
      name: draft.name.trim(),
      phone: blankToUndefined(draft.phone),
      email: blankToUndefined(draft.email),
      address: blankToUndefined(draft.address),
      lat: numberOrUndefined(draft.lat),
      lng: numberOrUndefined(draft.lng),
      notes: blankToUndefined(draft.notes),
    };
    // The wire schema takes any string as an email; catch typos here, where the person can fix them.
    const extra: FieldIssues = {};
    if (fields.email && !EMAIL.test(fields.email)) extra.email = 'Enter a valid email address';
    setIssues({});
    await action.run(async () => {
      if (!customer) {
        const parsed = mutationArgsSchemas['customer.create'].safeParse({ id: newId(), ...fields });
        if (!parsed.success || Object.keys(extra).length > 0) {
          setIssues({ ...(parsed.success ? {} : issuesByField(parsed.error)), ...extra });
          return;
        }
        await client.mutate('customer.create', parsed.data);
        navigate({ name: 'new-job', customerId: parsed.data.id });
        return;
      }
      const patch: Record<string, unknown> = {};
      const base: Record<string, unknown> = {};
      for (const field of EDITABLE_FIELDS.customers) {
        if (!(field in fields)) continue;
        const next = (fields as Record<string, unknown>)[field] ?? null;
        const before = customer[field] ?? null;
        if (next !== before) {
          patch[field] = next;
          base[field] = before;
        }
      }
      if (Object.keys(patch).length === 0) {
        navigate({ name: 'customer', customerId: customer.id });
        return;
      }
      const parsed = mutationArgsSchemas['customer.update'].safeParse({ id: customer.id, patch, base });
      if (!parsed.success || Object.keys(extra).length > 0) {
        setIssues({ ...(parsed.success ? {} : issuesByField(parsed.error)), ...extra });
        return;
      }
      await client.mutate('customer.update', { id: customer.id, patch: parsed.data.patch });
      navigate({ name: 'customer', customerId: customer.id });
    });
  };

  const id = (name: string) => `dsp-customer-${name}`;
  const formError = issues[''] ?? action.error;
  return (
    <section className="dsp-page dsp-form-page" aria-labelledby="dsp-customer-form-title">
      <header className="dsp-page-head">
        <div>
          <a className="dsp-back" href={routeHref({ name: 'board' })}>
            ← Jobs
          </a>
          <h1 id="dsp-customer-form-title">{customer ? `Edit ${customer.name}` : 'New customer'}</h1>
        </div>
      </header>
      <form className="dsp-form" onSubmit={submit} noValidate>
        {formError ? (
          <p className="dsp-form-error" role="alert">
            {formError}
          </p>
        ) : null}
        <TextField
          id={id('name')}
          label="Name"
          error={issues.name}
          wide
          value={draft.name}
          onChange={set('name')}
          autoComplete="off"
        />
        <TextField
          id={id('phone')}
          label="Phone"
          error={issues.phone}
          type="tel"
          value={draft.phone}
          onChange={set('phone')}
        />
        <TextField
          id={id('email')}
          label="Email"
          error={issues.email}
          type="email"
          value={draft.email}
          onChange={set('email')}
        />
        <TextField
          id={id('address')}
          label="Address"
          error={issues.address}
          wide
          value={draft.address}
          onChange={set('address')}
          autoComplete="off"
        />
        <TextField
          id={id('lat')}
          label="Latitude"
          error={issues.lat}
          inputMode="decimal"
          value={draft.lat}
          onChange={set('lat')}
        />
        <TextField
          id={id('lng')}
          label="Longitude"
          error={issues.lng}
          inputMode="decimal"
          value={draft.lng}
          onChange={set('lng')}
        />
        <Field id={id('notes')} label="Notes" error={issues.notes} wide>
          {(props) => <textarea {...props} rows={3} value={draft.notes} onChange={set('notes')} />}
        </Field>
        <div className="dsp-form-actions">
          <button type="submit" className="dsp-button dsp-button-primary" disabled={action.busy}>
            {customer ? 'Save changes' : 'Create customer'}
          </button>
          <a className="dsp-button" href={routeHref({ name: 'board' })}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
