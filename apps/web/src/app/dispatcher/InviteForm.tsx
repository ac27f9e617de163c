import { type Role, TRADES } from '@fieldsync/domain';
import { mutationArgsSchemas, plainIssuesByField } from '@fieldsync/protocol';
import { type FormEvent, useState } from 'react';
import { newId } from '../../sync';
import { useFieldsync, useSyncState } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { invitableRoles, parseSkills, ROLE_LABEL } from './company-admin';
import { blankToUndefined, type FieldIssues, numberOrUndefined } from './form-issues';
import { humanize } from './format';
import { type DispatcherRoute, routeHref } from './route';
import { Field, TextField } from './ui';

type InviteDraft = Record<
  'name' | 'email' | 'trade' | 'skills' | 'phone' | 'baseAddress' | 'baseLat' | 'baseLng',
  string
> & {
  role: Role;
};

const LABELS: Readonly<Record<string, string>> = {
  baseAddress: 'Base address',
  baseLat: 'Base latitude',
  baseLng: 'Base longitude',
};

/**
 * Invites a person: their account now (queued like any change, so it works
 * offline), their password when they open the link from their detail page.
 * A contractor also gets their contractor row: trade, skills, base.
 */
export function InviteForm({ navigate }: { navigate: (route: DispatcherRoute) => void }) {
  const client = useFieldsync();
  const viewerRole = useSyncState().session?.user.role ?? 'dispatcher';
  const roles = invitableRoles(viewerRole);
  const [draft, setDraft] = useState<InviteDraft>({
    name: '',
    email: '',
    role: 'contractor',
    trade: 'general',
    skills: '',
    phone: '',
    baseAddress: '',
    baseLat: '',
    baseLng: '',
  });
  const [issues, setIssues] = useState<FieldIssues>({});
  const action = useAction('computer');
  const set = (field: keyof InviteDraft) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [field]: event.target.value }));
  const isContractor = draft.role === 'contractor';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const baseLat = numberOrUndefined(draft.baseLat);
    const baseLng = numberOrUndefined(draft.baseLng);
    const extra: FieldIssues = {};
    if (isContractor && (baseLat === undefined) !== (baseLng === undefined)) {
      extra[baseLat === undefined ? 'baseLat' : 'baseLng'] = 'Give both latitude and longitude, or neither.';
    }
    const args = {
      id: newId(),
      email: draft.email.trim(),
      name: draft.name.trim(),
      role: draft.role,
      ...(isContractor
        ? {
            contractor: {
              id: newId(),
              trade: draft.trade,
              skills: parseSkills(draft.skills),
              phone: blankToUndefined(draft.phone),
              baseAddress: blankToUndefined(draft.baseAddress),
              baseLat,
              baseLng,
            },
          }
        : {}),
    };
    const parsed = mutationArgsSchemas['user.invite'].safeParse(args);
    if (!parsed.success || Object.keys(extra).length > 0) {
      // Contractor details nest under `contractor`: name each problem by its own field instead.
      const flattened = parsed.success
        ? []
        : parsed.error.issues.map((issue) =>
            issue.path[0] === 'contractor' && issue.path.length > 1 ? { ...issue, path: issue.path.slice(1) } : issue,
          );
      setIssues({ ...plainIssuesByField(flattened, { ...LABELS }), ...extra });
      return;
    }
    setIssues({});
    const ok = await action.run(() => client.mutate('user.invite', parsed.data));
    if (ok) navigate({ name: 'person', userId: parsed.data.id });
  };

  const id = (name: string) => `adm-invite-${name}`;
  const fieldIssue = (name: string) => issues[name] ?? action.issues[name];
  const formError = issues[''] ?? action.error;
  return (
    <section className="dsp-page dsp-form-page" aria-labelledby="adm-invite-title">
      <header className="dsp-page-head">
        <div>
          <a className="dsp-back" href={routeHref({ name: 'people' })}>
            ← People
          </a>
          <h1 id="adm-invite-title">Invite someone</h1>
          <p className="dsp-muted">
            They get a link to choose their password. You can copy the link from their page once the invite has synced.
          </p>
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
          error={fieldIssue('name')}
          value={draft.name}
          onChange={set('name')}
          autoComplete="off"
        />
        <TextField
          id={id('email')}
          label="Email"
          error={fieldIssue('email')}
          type="email"
          value={draft.email}
          onChange={set('email')}
          autoComplete="off"
        />
        <Field
          id={id('role')}
          label="Role"
          error={fieldIssue('role')}
          {...(roles.length === 1 ? { hint: 'Dispatchers invite contractors; an admin invites office staff.' } : {})}
        >
          {(props) => (
            <select {...props} value={draft.role} onChange={set('role')}>
              {roles.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABEL[role]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {isContractor ? (
          <>
            <Field id={id('trade')} label="Trade" error={fieldIssue('trade')}>
              {(props) => (
                <select {...props} value={draft.trade} onChange={set('trade')}>
                  {TRADES.map((trade) => (
                    <option key={trade} value={trade}>
                      {humanize(trade)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <TextField
              id={id('skills')}
              label="Skills"
              hint="Separate with commas, e.g. tile, grout, mosaic"
              error={fieldIssue('skills')}
              value={draft.skills}
              onChange={set('skills')}
              autoComplete="off"
            />
            <TextField
              id={id('phone')}
              label="Phone"
              error={fieldIssue('phone')}
              type="tel"
              value={draft.phone}
              onChange={set('phone')}
            />
            <TextField
              id={id('baseAddress')}
              label="Base address"
              hint="Where they start from; distances are measured from here."
              error={fieldIssue('baseAddress')}
              wide
              value={draft.baseAddress}
              onChange={set('baseAddress')}
              autoComplete="off"
            />
            <TextField
              id={id('baseLat')}
              label="Base latitude"
              error={fieldIssue('baseLat')}
              inputMode="decimal"
              value={draft.baseLat}
              onChange={set('baseLat')}
            />
            <TextField
              id={id('baseLng')}
              label="Base longitude"
              error={fieldIssue('baseLng')}
              inputMode="decimal"
              value={draft.baseLng}
              onChange={set('baseLng')}
            />
          </>
        ) : null}
        <div className="dsp-form-actions">
          <button type="submit" className="dsp-button dsp-button-primary" disabled={action.busy}>
            Send invite
          </button>
          <a className="dsp-button" href={routeHref({ name: 'people' })}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
