import {
  ALERT_DELIVERY_CHANNELS,
  ALERT_EVENTS,
  ALERT_RECIPIENT_KEYWORDS,
  type AlertConditionOperator,
  type AlertDeliveryChannel,
  type AlertEventName,
  type AlertFieldType,
  type AlertRule,
  alertEventFields,
  alertFieldType,
  formatAlertTime,
  isAlertEventName,
  matchesConditions,
  renderTemplate,
} from '@fieldsync/domain';
import { type FormEvent, useMemo, useRef, useState } from 'react';
import { newId } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { useOrganization } from '../shell/use-organization';
import {
  type ConditionRow,
  changeRowOperator,
  newConditionRow,
  OPERATOR_LABEL,
  operatorsFor,
  picksMany,
  resetRowForField,
  rowsToConditions,
} from './alert-conditions-form';
import { CHANNEL_LABEL, EVENT_LABEL, recipientLabel } from './alert-labels';
import {
  type AlertRuleDraft,
  type DraftProblems,
  draftOfRule,
  draftTemplate,
  newRuleDraft,
  ruleCreateArgs,
  ruleUpdatePatch,
} from './alert-rule-form';
import { type AlertSampleSources, alertEventSamples } from './alert-samples';
import { useUsersById } from './dispatcher-data';
import { formatDateTime, humanize } from './format';
import { type DispatcherRoute, routeHref } from './route';
import { Field, TextField } from './ui';
import './alerts.css';

const id = (name: string) => `alr-${name}`;

/** The rule editor for a new rule (`ruleId` undefined) or an existing one, loaded from the local copy. */
export function AlertRuleEditor({
  ruleId,
  navigate,
}: {
  ruleId: string | undefined;
  navigate: (route: DispatcherRoute) => void;
}) {
  const { db } = useFieldsync();
  const rule = useLiveQuery(
    async () => (ruleId ? ((await db.alertRules.get(ruleId)) ?? null) : null),
    [db, ruleId],
    undefined,
  );
  if (ruleId && rule === undefined) {
    return (
      <p className="dsp-muted" role="status">
        Loading the alert…
      </p>
    );
  }
  if (ruleId && !rule) {
    return (
      <section className="dsp-page">
        <h1>Alert not found</h1>
        <p className="dsp-empty">This alert is not on this device. It may have been removed.</p>
        <a href={routeHref({ name: 'alerts' })}>Back to alerts</a>
      </section>
    );
  }
  // Keyed by id only: a sync arriving while the form is open must not wipe what the person typed.
  return <RuleForm key={rule?.id ?? 'new'} rule={rule ?? null} navigate={navigate} />;
}

function RuleForm({ rule, navigate }: { rule: AlertRule | null; navigate: (route: DispatcherRoute) => void }) {
  const client = useFieldsync();
  const users = useUsersById();
  const [draft, setDraft] = useState<AlertRuleDraft>(() => (rule ? draftOfRule(rule, newId) : newRuleDraft()));
  const [problems, setProblems] = useState<DraftProblems>({});
  const [rowProblems, setRowProblems] = useState<Record<string, string>>({});
  const action = useAction('computer');
  const [userToAdd, setUserToAdd] = useState('');
  const lastTemplateField = useRef<'title' | 'body'>('title');
  const titleInput = useRef<HTMLInputElement>(null);
  const bodyInput = useRef<HTMLTextAreaElement>(null);

  const update = (patch: Partial<AlertRuleDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const fields = alertEventFields(draft.event) ?? {};
  const fieldNames = Object.keys(fields);
  const namesContractor = Object.hasOwn(fields, 'contractorId');

  // A refusal from the device's own checks names the part (`webhook` is the URL field here).
  const issue = (part: string) =>
    problems[part] ?? action.issues[part] ?? (part === 'webhookUrl' ? action.issues.webhook : undefined);
  const formError = problems[''] ?? action.issues[''] ?? action.error;

  const setEvent = (event: AlertEventName) => {
    setDraft((current) => {
      const next = newRuleDraft(event);
      return {
        ...current,
        event,
        // Rows on fields the new event also has keep their values; the others move to its first field.
        conditions: current.conditions.map((row) =>
          alertFieldType(event, row.field)
            ? row
            : resetRowForField(row, event, Object.keys(alertEventFields(event) ?? {})[0] ?? ''),
        ),
        recipients: Object.hasOwn(alertEventFields(event) ?? {}, 'contractorId')
          ? current.recipients
          : current.recipients.filter((recipient) => recipient !== 'assigned_contractor'),
        ...(current.customTemplate ? {} : { templateTitle: next.templateTitle, templateBody: next.templateBody }),
      };
    });
  };

  const setRow = (key: string, change: (row: ConditionRow) => ConditionRow) =>
    setDraft((current) => ({
      ...current,
      conditions: current.conditions.map((row) => (row.key === key ? change(row) : row)),
    }));

  const toggleChannel = (channel: AlertDeliveryChannel, on: boolean) =>
    setDraft((current) => ({
      ...current,
      channels: ALERT_DELIVERY_CHANNELS.filter((c) => (c === channel ? on : current.channels.includes(c))),
    }));
  const toggleRecipient = (recipient: string, on: boolean) =>
    setDraft((current) => ({
      ...current,
      recipients: on
        ? [...current.recipients.filter((r) => r !== recipient), recipient]
        : current.recipients.filter((r) => r !== recipient),
    }));

  const insertField = (field: string) => {
    const placeholder = `{{${field}}}`;
    const target = lastTemplateField.current;
    const input = target === 'title' ? titleInput.current : bodyInput.current;
    const text = target === 'title' ? draft.templateTitle : draft.templateBody;
    const start = input?.selectionStart ?? text.length;
    const end = input?.selectionEnd ?? text.length;
    const next = text.slice(0, start) + placeholder + text.slice(end);
    update(target === 'title' ? { templateTitle: next } : { templateBody: next });
    requestAnimationFrame(() => {
      input?.focus();
      input?.setSelectionRange(start + placeholder.length, start + placeholder.length);
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    action.clearError();
    if (rule) {
      const outcome = ruleUpdatePatch(rule, draft);
      if (!outcome.ok) {
        setProblems(outcome.problems);
        setRowProblems(outcome.conditionRows);
        return;
      }
      setProblems({});
      setRowProblems({});
      if (Object.keys(outcome.patch).length === 0) {
        navigate({ name: 'alerts' });
        return;
      }
      if (await action.run(() => client.mutate('alertRule.update', { id: rule.id, patch: outcome.patch }))) {
        navigate({ name: 'alerts' });
      }
      return;
    }
    const outcome = ruleCreateArgs(newId(), draft);
    if (!outcome.ok) {
      setProblems(outcome.problems);
      setRowProblems(outcome.conditionRows);
      return;
    }
    setProblems({});
    setRowProblems({});
    if (await action.run(() => client.mutate('alertRule.create', outcome.args))) navigate({ name: 'alerts' });
  };

  const people = useMemo(
    () => [...users.values()].filter((user) => user.active).sort((a, b) => a.name.localeCompare(b.name)),
    [users],
  );
  const chosenUsers = draft.recipients.filter((recipient) => recipient.startsWith('user:'));
  const nameOf = (userId: string) => users.get(userId)?.name;

  return (
    <section className="dsp-page dsp-form-page alr-page" aria-labelledby="alr-editor-title">
      <header className="dsp-page-head">
        <div>
          <a className="dsp-back" href={routeHref({ name: 'alerts' })}>
            ← Alerts
          </a>
          <h1 id="alr-editor-title">{rule ? `Edit “${rule.name}”` : 'New alert'}</h1>
        </div>
      </header>
      <form className="alr-editor" onSubmit={submit} noValidate aria-label={rule ? 'Edit alert' : 'New alert'}>
        {formError ? (
          <p className="dsp-form-error" role="alert" data-testid="alert-rule-form-error">
            {formError}
          </p>
        ) : null}
        <div className="dsp-box alr-fieldset">
          <TextField
            id={id('name')}
            label="Name"
            value={draft.name}
            onChange={(e) => update({ name: e.target.value })}
            error={issue('name')}
            placeholder="e.g. Urgent jobs on hold"
            data-testid="alert-rule-name"
          />
          <Field id={id('event')} label="When" error={issue('event')}>
            {(props) => (
              <select
                {...props}
                value={draft.event}
                onChange={(e) => isAlertEventName(e.target.value) && setEvent(e.target.value)}
                data-testid="alert-rule-event"
              >
                {ALERT_EVENTS.map((event) => (
                  <option key={event} value={event}>
                    {EVENT_LABEL[event]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <label className="dsp-check alr-active">
            <input
              type="checkbox"
              checked={draft.active}
              onChange={(e) => update({ active: e.target.checked })}
              data-testid="alert-rule-active-input"
            />
            On (off keeps the rule but sends nothing)
          </label>
        </div>

        <fieldset
          className="dsp-box alr-fieldset"
          aria-describedby={issue('conditions') ? id('conditions-error') : undefined}
        >
          <legend>Only if</legend>
          {draft.conditions.length === 0 ? (
            <p className="dsp-muted">No conditions: every time this happens, the alert goes out.</p>
          ) : (
            <ol className="alr-conditions" aria-label="Conditions (all must hold)">
              {draft.conditions.map((row, index) => (
                <ConditionEditor
                  key={row.key}
                  row={row}
                  index={index}
                  event={draft.event}
                  fieldNames={fieldNames}
                  problem={rowProblems[row.key]}
                  onChange={(change) => setRow(row.key, change)}
                  onRemove={() =>
                    setDraft((current) => ({
                      ...current,
                      conditions: current.conditions.filter((other) => other.key !== row.key),
                    }))
                  }
                />
              ))}
            </ol>
          )}
          <button
            type="button"
            className="dsp-button dsp-button-small"
            onClick={() =>
              setDraft((current) => ({
                ...current,
                conditions: [...current.conditions, newConditionRow(current.event, newId())],
              }))
            }
            data-testid="alert-condition-add"
          >
            Add a condition
          </button>
          {issue('conditions') ? (
            <p id={id('conditions-error')} className="dsp-error" role="alert">
              {issue('conditions')}
            </p>
          ) : null}
        </fieldset>

        <fieldset className="dsp-box alr-fieldset">
          <legend>Send by</legend>
          <div className="alr-checks">
            {ALERT_DELIVERY_CHANNELS.map((channel) => (
              <label key={channel} className="dsp-check">
                <input
                  type="checkbox"
                  checked={draft.channels.includes(channel)}
                  onChange={(e) => toggleChannel(channel, e.target.checked)}
                  data-testid={`alert-channel-${channel}`}
                />
                {CHANNEL_LABEL[channel]}
              </label>
            ))}
          </div>
          {draft.channels.includes('email') ? (
            <p className="dsp-hint">
              Email goes out only if the server has email set up; if not, the server turns the rule down and it shows
              under the sync problems.
            </p>
          ) : null}
          {draft.channels.includes('push') ? (
            <p className="dsp-hint">Phone notifications reach people who turned them on in the app.</p>
          ) : null}
          {issue('channels') ? (
            <p className="dsp-error" role="alert">
              {issue('channels')}
            </p>
          ) : null}
          {draft.channels.includes('webhook') ? (
            <div className="alr-webhook">
              <TextField
                id={id('webhook-url')}
                label="Webhook address"
                type="url"
                inputMode="url"
                autoComplete="off"
                spellCheck={false}
                value={draft.webhookUrl}
                onChange={(e) => update({ webhookUrl: e.target.value })}
                error={issue('webhookUrl')}
                placeholder="https://example.com/fieldsync-hook"
                data-testid="alert-rule-webhook-url"
              />
              <TextField
                id={id('webhook-secret')}
                label="Webhook secret"
                type="password"
                autoComplete="new-password"
                value={draft.webhookSecret}
                onChange={(e) => update({ webhookSecret: e.target.value })}
                error={issue('webhookSecret')}
                hint={
                  rule?.webhookUrl
                    ? 'Leave blank to keep the current secret. It is never shown again.'
                    : 'Signs every call so the receiver can check it came from Fieldsync. It is never shown again.'
                }
                data-testid="alert-rule-webhook-secret"
              />
            </div>
          ) : null}
        </fieldset>

        <fieldset className="dsp-box alr-fieldset">
          <legend>To</legend>
          <div className="alr-checks">
            {ALERT_RECIPIENT_KEYWORDS.filter((keyword) => keyword !== 'assigned_contractor' || namesContractor).map(
              (keyword) => (
                <label key={keyword} className="dsp-check">
                  <input
                    type="checkbox"
                    checked={draft.recipients.includes(keyword)}
                    onChange={(e) => toggleRecipient(keyword, e.target.checked)}
                    data-testid={`alert-recipient-${keyword.replace(':', '-')}`}
                  />
                  {recipientLabel(keyword, nameOf)}
                </label>
              ),
            )}
          </div>
          {chosenUsers.length > 0 ? (
            <ul className="alr-people" aria-label="Particular people">
              {chosenUsers.map((recipient) => (
                <li key={recipient}>
                  {recipientLabel(recipient, nameOf)}
                  <button
                    type="button"
                    className="dsp-link-button"
                    onClick={() => toggleRecipient(recipient, false)}
                    aria-label={`Remove ${recipientLabel(recipient, nameOf)}`}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <div className="alr-add-person">
            <label htmlFor={id('person')}>Also a particular person</label>
            <select
              id={id('person')}
              value={userToAdd}
              onChange={(e) => setUserToAdd(e.target.value)}
              data-testid="alert-recipient-user"
            >
              <option value="">Choose someone…</option>
              {people
                .filter((user) => !draft.recipients.includes(`user:${user.id}`))
                .map((user) => (
                  <option key={user.id} value={user.id}>
                    {user.name} ({humanize(user.role)})
                  </option>
                ))}
            </select>
            <button
              type="button"
              className="dsp-button dsp-button-small"
              disabled={!userToAdd}
              onClick={() => {
                toggleRecipient(`user:${userToAdd}`, true);
                setUserToAdd('');
              }}
            >
              Add
            </button>
          </div>
          {issue('recipients') ? (
            <p className="dsp-error" role="alert">
              {issue('recipients')}
            </p>
          ) : null}
          <TextField
            id={id('throttle')}
            label="Throttle (minutes)"
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={draft.throttleMinutes}
            onChange={(e) => update({ throttleMinutes: e.target.value })}
            error={issue('throttleMinutes')}
            hint="At most one alert per job (or booking, or phone) in this many minutes; 0 sends every time."
            data-testid="alert-rule-throttle"
          />
        </fieldset>

        <fieldset className="dsp-box alr-fieldset">
          <legend>Wording</legend>
          <label className="dsp-check">
            <input
              type="checkbox"
              checked={draft.customTemplate}
              onChange={(e) => update({ customTemplate: e.target.checked })}
              data-testid="alert-rule-custom-template"
            />
            Write my own wording
          </label>
          {draft.customTemplate ? (
            <>
              <Field id={id('template-title')} label="Title" error={issue('template')}>
                {(props) => (
                  <input
                    {...props}
                    ref={titleInput}
                    value={draft.templateTitle}
                    onChange={(e) => update({ templateTitle: e.target.value })}
                    onFocus={() => {
                      lastTemplateField.current = 'title';
                    }}
                    data-testid="alert-rule-template-title"
                  />
                )}
              </Field>
              <Field id={id('template-body')} label="Message">
                {(props) => (
                  <textarea
                    {...props}
                    ref={bodyInput}
                    rows={3}
                    value={draft.templateBody}
                    onChange={(e) => update({ templateBody: e.target.value })}
                    onFocus={() => {
                      lastTemplateField.current = 'body';
                    }}
                    data-testid="alert-rule-template-body"
                  />
                )}
              </Field>
              <div className="alr-insert">
                <label htmlFor={id('insert')}>Insert a field</label>
                <select
                  id={id('insert')}
                  value=""
                  onChange={(e) => e.target.value && insertField(e.target.value)}
                  data-testid="alert-rule-insert-field"
                >
                  <option value="">Choose a field…</option>
                  {fieldNames.map((field) => (
                    <option key={field} value={field}>
                      {field}
                    </option>
                  ))}
                </select>
                <span className="dsp-muted">It goes where the cursor was in the title or message.</span>
              </div>
            </>
          ) : (
            <p className="dsp-muted alr-default-wording">
              The usual wording: <q>{draftTemplate(draft).title}</q>
            </p>
          )}
        </fieldset>

        <RulePreview draft={draft} />

        <div className="alr-actions">
          <button
            type="submit"
            className="dsp-button dsp-button-primary"
            disabled={action.busy}
            data-testid="alert-rule-save"
          >
            {rule ? 'Save changes' : 'Add alert'}
          </button>
          <a className="dsp-button" href={routeHref({ name: 'alerts' })}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}

function ConditionEditor({
  row,
  index,
  event,
  fieldNames,
  problem,
  onChange,
  onRemove,
}: {
  row: ConditionRow;
  index: number;
  event: AlertEventName;
  fieldNames: string[];
  problem: string | undefined;
  onChange: (change: (row: ConditionRow) => ConditionRow) => void;
  onRemove: () => void;
}) {
  const type = alertFieldType(event, row.field);
  const offered = type ? operatorsFor(type) : [];
  // A stored rule may hold a test this field does not take: it stays visible (the checks name it) until changed.
  const ops = offered.includes(row.op) ? offered : [row.op, ...offered];
  const n = index + 1;
  const rowId = id(`cond-${row.key}`);
  return (
    <li className="alr-condition" data-testid="alert-condition-row">
      <select
        aria-label={`Field, condition ${n}`}
        value={row.field}
        onChange={(e) => onChange((current) => resetRowForField(current, event, e.target.value))}
        data-testid="alert-condition-field"
      >
        {fieldNames.includes(row.field) ? null : <option value={row.field}>{row.field || 'Choose…'}</option>}
        {fieldNames.map((field) => (
          <option key={field} value={field}>
            {field}
          </option>
        ))}
      </select>
      <select
        aria-label={`Test, condition ${n}`}
        value={row.op}
        onChange={(e) =>
          onChange((current) => changeRowOperator(current, event, e.target.value as AlertConditionOperator))
        }
        data-testid="alert-condition-op"
      >
        {ops.map((op) => (
          <option key={op} value={op}>
            {OPERATOR_LABEL[op] ?? op}
          </option>
        ))}
      </select>
      <ConditionValue row={row} type={type} n={n} onChange={onChange} />
      <button
        type="button"
        className="dsp-link-button"
        onClick={onRemove}
        aria-label={`Remove condition ${n}`}
        data-testid="alert-condition-remove"
      >
        Remove
      </button>
      {problem ? (
        <p id={`${rowId}-error`} className="dsp-error alr-condition-error" role="alert">
          {problem}
        </p>
      ) : null}
    </li>
  );
}

function ConditionValue({
  row,
  type,
  n,
  onChange,
}: {
  row: ConditionRow;
  type: AlertFieldType | undefined;
  n: number;
  onChange: (change: (row: ConditionRow) => ConditionRow) => void;
}) {
  const label = `Value, condition ${n}`;
  const setValue = (value: string) => onChange((current) => ({ ...current, value }));
  if (row.op === 'exists') {
    return (
      <select
        aria-label={label}
        value={row.value}
        onChange={(e) => setValue(e.target.value)}
        data-testid="alert-condition-value"
      >
        <option value="true">yes</option>
        <option value="false">no (it is empty)</option>
      </select>
    );
  }
  if (type && picksMany(type, row.op) && type.type === 'enum') {
    return (
      <fieldset className="alr-values" aria-label={label} data-testid="alert-condition-value">
        {type.values.map((value) => (
          <label key={value} className="dsp-check">
            <input
              type="checkbox"
              checked={row.values.includes(value)}
              onChange={(e) =>
                onChange((current) => ({
                  ...current,
                  values: e.target.checked
                    ? [...current.values.filter((v) => v !== value), value]
                    : current.values.filter((v) => v !== value),
                }))
              }
            />
            {humanize(value)}
          </label>
        ))}
      </fieldset>
    );
  }
  if (type?.type === 'enum' || type?.type === 'boolean') {
    const values = type.type === 'enum' ? type.values : ['true', 'false'];
    return (
      <select
        aria-label={label}
        value={row.value}
        onChange={(e) => setValue(e.target.value)}
        data-testid="alert-condition-value"
      >
        {values.includes(row.value) ? null : <option value={row.value}>{row.value || 'Choose…'}</option>}
        {values.map((value) => (
          <option key={value} value={value}>
            {type.type === 'boolean' ? (value === 'true' ? 'yes' : 'no') : humanize(value)}
          </option>
        ))}
      </select>
    );
  }
  const list = row.op === 'in' || row.op === 'not_in';
  return (
    <input
      aria-label={label}
      value={row.value}
      onChange={(e) => setValue(e.target.value)}
      inputMode={type?.type === 'number' && !list ? 'decimal' : undefined}
      placeholder={
        list ? 'values, separated by commas' : type?.type === 'datetime' ? '2026-11-21T09:00:00Z' : undefined
      }
      data-testid="alert-condition-value"
    />
  );
}

/**
 * The rule tried on recent events this device holds, with the same matching
 * and wording the server uses: which match, and how the first match reads.
 */
function RulePreview({ draft }: { draft: AlertRuleDraft }) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const sources = useLiveQuery(
    async (): Promise<AlertSampleSources> => {
      const [jobs, statusHistory, assignments, customers, contractors, conflicts, ratings, users, estimates] =
        await Promise.all([
          db.jobs.orderBy('updatedAt').reverse().limit(500).toArray(),
          db.jobStatusHistory.toArray(),
          db.assignments.toArray(),
          db.customers.toArray(),
          db.contractors.toArray(),
          db.conflicts.toArray(),
          db.ratings.toArray(),
          db.users.toArray(),
          db.estimates.toArray(),
        ]);
      return { jobs, statusHistory, assignments, customers, contractors, conflicts, ratings, users, estimates };
    },
    [db],
    undefined,
  );
  const reading = rowsToConditions(draft.event, draft.conditions);
  const template = draftTemplate(draft);
  const samples = useMemo(
    () =>
      sources
        ? alertEventSamples(draft.event, sources, {
            now: Date.now(),
            overdueMinutes: clock.organization?.overdueMinutes ?? 30,
            // The server's own wording of a start time, so the preview reads as the alert will.
            formatLocal: (iso) => formatAlertTime(iso, clock.timeZone, clock.timeFormat) ?? iso,
          })
        : undefined,
    [sources, draft.event, clock],
  );
  const results = samples?.map((sample) => ({
    sample,
    matches: reading.ok && matchesConditions(sample.data, reading.conditions),
  }));
  const firstMatch = results?.find((result) => result.matches);

  return (
    <section className="dsp-box alr-preview" aria-labelledby="alr-preview-title" data-testid="alert-rule-preview">
      <h2 id="alr-preview-title">Preview on recent events</h2>
      {!reading.ok ? (
        <p className="dsp-muted">Finish the conditions to see which recent events would raise this alert.</p>
      ) : results === undefined ? (
        <p className="dsp-muted" role="status">
          Looking at recent events…
        </p>
      ) : results.length === 0 ? (
        <p className="dsp-muted" data-testid="alert-preview-empty">
          Nothing like this has happened on this device’s data yet, so there is nothing to try the rule on.
        </p>
      ) : (
        <>
          {firstMatch ? (
            <div className="alr-rendered" data-testid="alert-preview-rendered">
              <p className="alr-rendered-label">How the first match reads:</p>
              <p className="alr-rendered-title" data-testid="alert-preview-title">
                {renderTemplate(template.title, firstMatch.sample.data, { escape: 'none' })}
              </p>
              <p className="alr-rendered-body" data-testid="alert-preview-body">
                {renderTemplate(template.body, firstMatch.sample.data, { escape: 'none' })}
              </p>
            </div>
          ) : (
            <p className="dsp-muted">None of these recent events match, so none would raise the alert.</p>
          )}
          <ul className="alr-samples" aria-label="Recent events">
            {results.map(({ sample, matches }) => (
              <li key={sample.key} data-testid="alert-preview-sample" data-matches={matches ? 'true' : 'false'}>
                <span className={`alr-match ${matches ? 'alr-match-yes' : 'alr-match-no'}`}>
                  {matches ? 'Matches' : 'Does not match'}
                </span>
                <span>{sample.label}</span>
                <span className="dsp-muted">{formatDateTime(sample.at, clock)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
