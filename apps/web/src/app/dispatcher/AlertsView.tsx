import { ALERT_DELIVERY_STATUSES, type AlertDeliveryStatus } from '@fieldsync/domain';
import { useMemo, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { plural } from '../shell/format';
import { useAction } from '../shell/use-action';
import { useOrganization } from '../shell/use-organization';
import { CHANNEL_LABEL, DELIVERY_STATUS_LABEL, EVENT_LABEL, recipientLabel } from './alert-labels';
import { useUsersById } from './dispatcher-data';
import { formatDateTime } from './format';
import { routeHref } from './route';
import { PendingMark } from './ui';
import './alerts.css';

const HISTORY_PAGE = 100;

/**
 * Alerts: the company's rules, each with an on/off switch, and the history of
 * what they sent (with Retry for failed deliveries). Read from the local
 * copy; every change is queued like any other and works offline.
 */
export function AlertsView() {
  const { db } = useFieldsync();
  const rules = useLiveQuery(() => db.alertRules.toArray(), [db], undefined);
  const action = useAction('computer');
  const sorted = useMemo(() => (rules ? [...rules].sort((a, b) => a.name.localeCompare(b.name)) : undefined), [rules]);

  return (
    <section className="dsp-page alr-page" aria-labelledby="alr-title">
      <header className="dsp-page-head">
        <div>
          <h1 id="alr-title">Alerts</h1>
          <p className="dsp-muted">Who hears about what, and how. Rules run on the server as changes arrive.</p>
        </div>
        <a className="dsp-button dsp-button-primary" href={routeHref({ name: 'alert-rule' })} data-testid="alert-new">
          New alert
        </a>
      </header>
      {action.error ? (
        <p className="dsp-form-error" role="alert">
          {action.error}
        </p>
      ) : null}

      <section className="dsp-box alr-box" aria-labelledby="alr-rules-title">
        <h2 id="alr-rules-title">Rules</h2>
        {sorted === undefined ? (
          <p className="dsp-muted" role="status">
            Loading alerts…
          </p>
        ) : sorted.length === 0 ? (
          <div className="dsp-empty-state" data-testid="alert-rules-empty">
            <p className="dsp-empty-title">No alerts yet</p>
            <p className="dsp-muted">
              Add one to tell people when a job changes, a booking moves or a phone stops syncing.
            </p>
          </div>
        ) : (
          <ul className="alr-rules" aria-label="Alert rules">
            {sorted.map((rule) => (
              <RuleRow key={rule.id} rule={rule} run={action.run} busy={action.busy} />
            ))}
          </ul>
        )}
      </section>

      <DeliveryHistory rules={rules} />
    </section>
  );
}

function RuleRow({
  rule,
  run,
  busy,
}: {
  rule: LocalRow<'alertRules'>;
  run: (action: () => Promise<unknown>) => Promise<boolean>;
  busy: boolean;
}) {
  const client = useFieldsync();
  const users = useUsersById();
  const [confirming, setConfirming] = useState(false);
  const nameOf = (id: string) => users.get(id)?.name;
  const toggle = () =>
    void run(() => client.mutate('alertRule.update', { id: rule.id, patch: { active: !rule.active } }));
  const remove = async () => {
    if (await run(() => client.mutate('alertRule.remove', { id: rule.id }))) setConfirming(false);
  };

  return (
    <li className={`alr-rule${rule.active ? '' : ' alr-rule-off'}`} data-testid="alert-rule-row" data-rule-id={rule.id}>
      <div className="alr-rule-main">
        <a className="alr-rule-name" href={routeHref({ name: 'alert-rule', ruleId: rule.id })}>
          {rule.name}
        </a>
        <PendingMark pending={rule._pendingSeq} />
        <p className="alr-rule-meta">
          {EVENT_LABEL[rule.event]}
          {Object.keys(rule.conditions).length > 0
            ? ` · with ${plural(Object.keys(rule.conditions).length, 'condition')}`
            : ''}{' '}
          · {rule.channels.map((channel) => CHANNEL_LABEL[channel]).join(', ')} · to{' '}
          {rule.recipients.map((recipient) => recipientLabel(recipient, nameOf)).join(', ')}
          {rule.throttleMinutes > 0 ? ` · at most once per ${rule.throttleMinutes} min per item` : ''}
        </p>
      </div>
      <div className="alr-rule-actions">
        <button
          type="button"
          role="switch"
          aria-checked={rule.active}
          aria-label={`${rule.name} active`}
          className="alr-switch"
          onClick={toggle}
          disabled={busy}
          data-testid="alert-rule-active"
        >
          <span className="alr-switch-track" aria-hidden="true">
            <span className="alr-switch-thumb" />
          </span>
          <span className="alr-switch-text" aria-hidden="true">
            {rule.active ? 'On' : 'Off'}
          </span>
        </button>
        <a
          className="dsp-button dsp-button-small"
          href={routeHref({ name: 'alert-rule', ruleId: rule.id })}
          aria-label={`Edit ${rule.name}`}
          data-testid="alert-rule-edit"
        >
          Edit
        </a>
        {confirming ? (
          <span className="alr-confirm">
            <span>Remove it? What it already sent stays in the history.</span>
            <button
              type="button"
              className="dsp-button dsp-button-small dsp-button-danger"
              onClick={() => void remove()}
              disabled={busy}
              data-testid="alert-rule-remove-confirm"
            >
              Remove
            </button>
            <button type="button" className="dsp-button dsp-button-small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="dsp-button dsp-button-small dsp-button-danger"
            onClick={() => setConfirming(true)}
            aria-label={`Remove ${rule.name}`}
            data-testid="alert-rule-remove"
          >
            Remove…
          </button>
        )}
      </div>
    </li>
  );
}

/** What the rules sent, newest first, with Retry for failed deliveries. */
function DeliveryHistory({ rules }: { rules: LocalRow<'alertRules'>[] | undefined }) {
  const client = useFieldsync();
  const { db } = client;
  const clock = useOrganization();
  const users = useUsersById();
  const [status, setStatus] = useState<AlertDeliveryStatus | 'all'>('all');
  const [shown, setShown] = useState(HISTORY_PAGE);
  const deliveries = useLiveQuery(
    () =>
      status === 'all' ? db.alertDeliveries.toArray() : db.alertDeliveries.where('status').equals(status).toArray(),
    [db, status],
    undefined,
  );
  const action = useAction('computer');
  const ruleName = useMemo(() => new Map((rules ?? []).map((rule) => [rule.id, rule.name])), [rules]);
  const sorted = useMemo(
    () =>
      deliveries
        ? [...deliveries].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
        : undefined,
    [deliveries],
  );
  const nameOf = (id: string) => users.get(id)?.name;

  return (
    <section className="dsp-box alr-box" aria-labelledby="alr-history-title">
      <div className="dsp-box-head">
        <h2 id="alr-history-title">Delivery history</h2>
        <label className="alr-filter">
          Show
          <select
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as AlertDeliveryStatus | 'all');
              setShown(HISTORY_PAGE);
            }}
            data-testid="alert-delivery-filter"
          >
            <option value="all">Everything</option>
            {ALERT_DELIVERY_STATUSES.map((value) => (
              <option key={value} value={value}>
                {DELIVERY_STATUS_LABEL[value]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {action.error ? (
        <p className="dsp-form-error" role="alert">
          {action.error}
        </p>
      ) : null}
      {sorted === undefined ? (
        <p className="dsp-muted" role="status">
          Loading the history…
        </p>
      ) : sorted.length === 0 ? (
        <p className="dsp-empty" data-testid="alert-deliveries-empty">
          {status === 'all'
            ? 'Nothing sent yet. Deliveries show here once a rule matches a change.'
            : `No deliveries are “${DELIVERY_STATUS_LABEL[status].toLowerCase()}”.`}
        </p>
      ) : (
        <>
          <div className="alr-history-head" aria-hidden="true">
            <span>Status</span>
            <span>Alert</span>
            <span>Channel and recipient</span>
            <span>Attempts</span>
            <span>When</span>
            <span />
          </div>
          <ul className="alr-history" aria-label="Alert deliveries, newest first">
            {sorted.slice(0, shown).map((delivery) => (
              <li
                key={delivery.id}
                className="alr-history-row"
                data-testid="alert-delivery-row"
                data-status={delivery.status}
                data-delivery-id={delivery.id}
              >
                <span>
                  <span className={`alr-status alr-status-${delivery.status}`}>
                    {DELIVERY_STATUS_LABEL[delivery.status]}
                  </span>
                </span>
                <span className="alr-history-alert">
                  <strong>{ruleName.get(delivery.ruleId) ?? 'A removed rule'}</strong>
                  <span className="dsp-muted">{delivery.title}</span>
                  {delivery.jobId ? <a href={routeHref({ name: 'job', jobId: delivery.jobId })}>Open the job</a> : null}
                </span>
                <span className="alr-history-to">
                  {CHANNEL_LABEL[delivery.channel]}
                  <span className="dsp-muted alr-recipient">
                    <span className="dsp-visually-hidden">to </span>
                    {recipientLabel(delivery.recipient, nameOf)}
                  </span>
                </span>
                <span>
                  {delivery.attempts}
                  <span className="dsp-visually-hidden"> {delivery.attempts === 1 ? 'attempt' : 'attempts'}</span>
                  {delivery.lastError ? (
                    <span className="alr-last-error">
                      <span className="dsp-visually-hidden">Last error: </span>
                      {delivery.lastError}
                    </span>
                  ) : null}
                </span>
                <span className="alr-history-when">
                  Raised {formatDateTime(delivery.createdAt, clock)}
                  {delivery.sentAt ? (
                    <span className="dsp-muted">Sent {formatDateTime(delivery.sentAt, clock)}</span>
                  ) : null}
                </span>
                <span>
                  {delivery.status === 'failed' ? (
                    <button
                      type="button"
                      className="dsp-button dsp-button-small"
                      onClick={() => void action.run(() => client.mutate('alertDelivery.retry', { id: delivery.id }))}
                      disabled={action.busy}
                      aria-label={`Retry: ${delivery.title}, ${CHANNEL_LABEL[delivery.channel]}`}
                      data-testid="alert-delivery-retry"
                    >
                      Retry
                    </button>
                  ) : null}
                  <PendingMark pending={delivery._pendingSeq} />
                </span>
              </li>
            ))}
          </ul>
          {sorted.length > shown ? (
            <button
              type="button"
              className="dsp-button alr-more"
              onClick={() => setShown((count) => count + HISTORY_PAGE)}
            >
              Show older ({sorted.length - shown} more)
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
