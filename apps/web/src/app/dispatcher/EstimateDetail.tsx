import {
  checkEstimateEditable,
  checkEstimateTransition,
  type EstimateStatus,
  formatCents,
  isEstimateExpiringSoon,
  isEstimateLapsed,
  lineTotalCents,
  type Role,
} from '@fieldsync/domain';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { HttpError, type LocalRow, NetworkError } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { EstimateEditor } from '../estimates/EstimateEditor';
import { LINE_KIND_LABEL, taxRateText } from '../estimates/estimate-words';
import { downloadBlob } from '../shell/download';
import { useAction } from '../shell/use-action';
import { useAttachmentUrl } from '../shell/use-attachment-url';
import { useOrganization } from '../shell/use-organization';
import { useUserName } from './dispatcher-data';
import { estimateHistory } from './estimate-history';
import { EstimateNumber, EstimateStatusChip, ExpiresSoonMark } from './estimate-ui';
import { formatDateTime, formatLocalDate, todayIn } from './format';
import { type DispatcherRoute, routeHref } from './route';
import { JobNumber, PendingMark, RefusedChanges } from './ui';
import './estimates.css';

type Estimate = LocalRow<'estimates'>;

/** How long an opened PDF's object URL is kept for the new tab to read it. */
const PDF_URL_LIFETIME_MS = 60_000;

/**
 * One estimate for the office: what it prices and comes to, where it stands,
 * its history, and the moves the office makes: send, revise, record the
 * customer's yes or no, open the PDF. `panel: 'edit'` shows the editor (a
 * draft only).
 */
export function EstimateDetail({
  estimateId,
  panel,
  navigate,
}: {
  estimateId: string;
  panel?: 'edit' | undefined;
  navigate: (route: DispatcherRoute) => void;
}) {
  const { db } = useFieldsync();
  const estimate = useLiveQuery(
    () => db.estimates.get(estimateId).then((row) => row ?? null),
    [db, estimateId],
    undefined,
  );
  if (estimate === undefined) {
    return (
      <p className="dsp-muted" role="status">
        Loading…
      </p>
    );
  }
  if (estimate === null || estimate.deletedAt) {
    return (
      <section className="dsp-page">
        <a className="dsp-back" href={routeHref({ name: 'estimates' })}>
          ← Estimates
        </a>
        <p className="dsp-empty">This estimate is not on this computer (it may have been removed).</p>
      </section>
    );
  }
  if (panel === 'edit') return <EditEstimate key={estimate.id} estimate={estimate} navigate={navigate} />;
  return <EstimateRecord estimate={estimate} navigate={navigate} />;
}

/** The shared editor on a draft; anything else says why it cannot be changed. */
function EditEstimate({ estimate, navigate }: { estimate: Estimate; navigate: (route: DispatcherRoute) => void }) {
  const client = useFieldsync();
  // The status when the editor opened: a sync that sends the estimate meanwhile must not unmount what was typed.
  const [openedAs] = useState(estimate.status);
  const editable = checkEstimateEditable(openedAs);
  const back = () => navigate({ name: 'estimate', estimateId: estimate.id });
  return (
    <section className="dsp-page dsp-form-page" aria-labelledby="est-edit-title">
      <header className="dsp-page-head">
        <div>
          <a className="dsp-back" href={routeHref({ name: 'estimate', estimateId: estimate.id })}>
            ← Back to the estimate
          </a>
          <h1 id="est-edit-title">Edit estimate</h1>
          <p className="dsp-muted">
            <EstimateNumber number={estimate.number} /> · {estimate.title}
          </p>
        </div>
      </header>
      {editable.ok ? (
        <EstimateEditor
          client={client}
          estimate={estimate}
          customerId={estimate.customerId}
          jobId={estimate.jobId}
          onSaved={(id) => navigate({ name: 'estimate', estimateId: id })}
          onCancel={back}
        />
      ) : (
        <p className="dsp-notice dsp-notice-warn" role="status">
          {editable.message}
        </p>
      )}
    </section>
  );
}

/** The editor for a new estimate for a customer (and one of their jobs). */
export function NewEstimate({
  customerId,
  jobId,
  navigate,
}: {
  customerId: string;
  jobId?: string | undefined;
  navigate: (route: DispatcherRoute) => void;
}) {
  const client = useFieldsync();
  const { db } = client;
  const customer = useLiveQuery(
    () => db.customers.get(customerId).then((row) => row ?? null),
    [db, customerId],
    undefined,
  );
  const back: DispatcherRoute = jobId ? { name: 'job', jobId } : { name: 'customer', customerId };
  if (customer === undefined) {
    return (
      <p className="dsp-muted" role="status">
        Loading…
      </p>
    );
  }
  return (
    <section className="dsp-page dsp-form-page" aria-labelledby="est-new-title">
      <header className="dsp-page-head">
        <div>
          <a className="dsp-back" href={routeHref(back)}>
            ← {jobId ? 'Back to the job' : 'Back to the customer'}
          </a>
          <h1 id="est-new-title">New estimate{customer ? ` for ${customer.name}` : ''}</h1>
        </div>
      </header>
      {customer === null ? (
        <p className="dsp-empty">This customer is not on this computer (they may have been removed).</p>
      ) : (
        <EstimateEditor
          client={client}
          customerId={customerId}
          jobId={jobId ?? null}
          onSaved={(id) => navigate({ name: 'estimate', estimateId: id })}
          onCancel={() => navigate(back)}
        />
      )}
    </section>
  );
}

function EstimateRecord({ estimate, navigate }: { estimate: Estimate; navigate: (route: DispatcherRoute) => void }) {
  const client = useFieldsync();
  const { db } = client;
  const state = useSyncState();
  const clock = useOrganization();
  const userName = useUserName();
  const today = todayIn(clock);
  const customer = useLiveQuery(() => db.customers.get(estimate.customerId), [db, estimate.customerId], undefined);
  const job = useLiveQuery(
    () => (estimate.jobId ? db.jobs.get(estimate.jobId) : undefined),
    [db, estimate.jobId],
    undefined,
  );
  // The activity log is indexed by job only; an estimate's rows are found by a scan (office copies are modest).
  const activity = useLiveQuery(
    async () =>
      (await db.activityLog.where('entityId').equals(estimate.id).toArray()).filter(
        (row) => row.entityType === 'estimate',
      ),
    [db, estimate.id],
    undefined,
  );
  const history = useMemo(() => estimateHistory(activity ?? [], estimate.id), [activity, estimate.id]);
  const money = (cents: number) => formatCents(cents, estimate.currency);

  const refused = state.rejected.filter((change) => {
    const args = change.args as { id?: unknown } | null;
    return change.name.startsWith('estimate.') && args?.id === estimate.id;
  });

  const lapsed = isEstimateLapsed(estimate, today);
  const expiresSoon = isEstimateExpiringSoon(estimate, today);

  return (
    <section className="dsp-page" aria-labelledby="est-title">
      <header className="dsp-page-head">
        <div>
          <a className="dsp-back" href={routeHref({ name: 'estimates' })}>
            ← Estimates
          </a>
          <p className="dsp-detail-number">
            <EstimateNumber number={estimate.number} /> <PendingMark pending={estimate._pendingSeq} />
          </p>
          <h1 id="est-title">{estimate.title}</h1>
          <p className="dsp-detail-sub">
            <EstimateStatusChip status={estimate.status} /> {expiresSoon ? <ExpiresSoonMark /> : null}
            <span>
              For{' '}
              {customer ? (
                <a href={routeHref({ name: 'customer', customerId: customer.id })}>{customer.name}</a>
              ) : (
                'a customer not on this computer'
              )}
            </span>
            {estimate.jobId ? (
              <span>
                Job{' '}
                {job ? (
                  <a href={routeHref({ name: 'job', jobId: job.id })}>
                    <JobNumber jobNumber={job.jobNumber} /> {job.title}
                  </a>
                ) : (
                  'not on this computer'
                )}
              </span>
            ) : null}
          </p>
          <p className="est-head-total" data-testid="estimate-total">
            {money(estimate.totalCents)}
          </p>
        </div>
        <PdfButton estimate={estimate} />
      </header>

      <EstimateActions
        estimate={estimate}
        customerName={customer?.name}
        role={state.session?.user.role ?? 'dispatcher'}
        navigate={navigate}
      />
      <RefusedChanges
        changes={refused}
        lead={(change) => (change.code === 'conflict' ? 'Changed by someone else: ' : 'Not applied: ')}
        onDismiss={(id) => void client.dismissRejected(id)}
      />

      <div className="est-detail-grid">
        <div className="est-detail-main">
          <section className="dsp-box" aria-labelledby="est-lines-h">
            <h2 id="est-lines-h">Lines</h2>
            {estimate.lines.length === 0 ? (
              <p className="dsp-muted">This estimate has no lines yet.</p>
            ) : (
              <div className="est-table-wrap">
                <table className="est-table est-cards" data-testid="estimate-lines">
                  <thead>
                    <tr>
                      <th scope="col">Description</th>
                      <th scope="col">Kind</th>
                      <th scope="col" className="est-num">
                        Quantity
                      </th>
                      <th scope="col" className="est-num">
                        Unit price
                      </th>
                      <th scope="col" className="est-num">
                        Line total
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {estimate.lines.map((line) => (
                      <tr key={line.id}>
                        <td className="est-row-title">{line.description}</td>
                        <td data-label="Kind" className="est-nowrap">
                          {LINE_KIND_LABEL[line.kind]}
                        </td>
                        <td data-label="Quantity" className="est-num">
                          {line.quantity.toLocaleString()} {line.unit}
                        </td>
                        <td data-label="Unit price" className="est-num">
                          {money(line.unitPriceCents)}
                        </td>
                        <td data-label="Line total" className="est-num">
                          {money(lineTotalCents(line))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <dl className="est-totals" aria-label="Totals">
              <dt>Subtotal</dt>
              <dd>{money(estimate.subtotalCents)}</dd>
              <dt>Tax ({taxRateText(estimate.taxRateBasisPoints)})</dt>
              <dd>{money(estimate.taxCents)}</dd>
              <dt className="est-grand">Total</dt>
              <dd className="est-grand">{money(estimate.totalCents)}</dd>
            </dl>
          </section>

          <section className="dsp-box" aria-labelledby="est-history-h">
            <h2 id="est-history-h">History</h2>
            {activity === undefined ? (
              <p className="dsp-muted" aria-busy="true">
                Loading…
              </p>
            ) : history.length === 0 ? (
              <p className="dsp-muted">
                {estimate._pendingSeq !== undefined
                  ? 'The history starts once this estimate reaches the server.'
                  : 'No history for this estimate on this computer yet.'}
              </p>
            ) : (
              <ol className="dsp-timeline" aria-label="Estimate history">
                {history.map((entry) => (
                  <li key={entry.id} className="dsp-tl">
                    <span className="dsp-tl-dot" aria-hidden="true" />
                    <div>
                      <p className="dsp-tl-title">{entry.what}</p>
                      <p className="dsp-tl-meta">
                        {entry.by ? userName(entry.by) : 'Automatically'} · {formatDateTime(entry.at, clock)}
                        {entry.detail ? ` · ${entry.detail}` : ''}
                      </p>
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>

        <div className="est-detail-side">
          <section className="dsp-box" aria-labelledby="est-terms-h">
            <h2 id="est-terms-h">Terms</h2>
            <dl className="dsp-dl">
              <dt>Valid until</dt>
              <dd>
                {formatLocalDate(estimate.validUntil)}
                {lapsed ? <span className="dsp-warn"> · its last valid day has passed</span> : null}
              </dd>
              <dt>Created by</dt>
              <dd>{estimate.createdBy ? userName(estimate.createdBy) : 'The system'}</dd>
              <dt>Sent</dt>
              <dd>{estimate.sentAt ? formatDateTime(estimate.sentAt, clock) : 'Not yet'}</dd>
              {estimate.acceptedAt ? (
                <>
                  <dt>Accepted</dt>
                  <dd>{formatDateTime(estimate.acceptedAt, clock)}</dd>
                </>
              ) : null}
              {estimate.status === 'rejected' || estimate.rejectedReason ? (
                <>
                  <dt>Turned down</dt>
                  <dd className="dsp-pre">
                    {estimate.rejectedReason ? `“${estimate.rejectedReason}”` : 'No reason kept'}
                  </dd>
                </>
              ) : null}
              <dt>Notes</dt>
              <dd className="dsp-pre">{estimate.notes || <span className="dsp-muted">No notes</span>}</dd>
            </dl>
          </section>
          {estimate.signatureAttachmentId ? <SignatureBox attachmentId={estimate.signatureAttachmentId} /> : null}
        </div>
      </div>
    </section>
  );
}

/** The customer's signature, when the estimate was accepted on site with one. */
function SignatureBox({ attachmentId }: { attachmentId: string }) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const attachment = useLiveQuery(() => db.attachments.get(attachmentId), [db, attachmentId], undefined);
  const { url, state } = useAttachmentUrl(attachmentId, 'thumbnail');
  return (
    <section className="dsp-box" aria-labelledby="est-signature-h">
      <h2 id="est-signature-h">Customer's signature</h2>
      <span className="est-signature">
        {url ? (
          <img src={url} alt={`Signature of ${attachment?.signerName ?? 'the customer'}`} />
        ) : (
          <span className="est-signature-none" aria-busy={state === 'loading'}>
            {state === 'loading'
              ? 'Loading…'
              : state === 'offline'
                ? 'Shows when this computer is online'
                : 'Not uploaded from the phone yet'}
          </span>
        )}
      </span>
      {attachment ? (
        <p className="dsp-muted">
          Signed by {attachment.signerName ?? 'the customer'} · {formatDateTime(attachment.takenAt, clock)}
        </p>
      ) : null}
    </section>
  );
}

/** The office's moves for the estimate's status, each checked with the domain's rule before it is sent. */
function EstimateActions({
  estimate,
  customerName,
  role,
  navigate,
}: {
  estimate: Estimate;
  customerName: string | undefined;
  role: Role;
  navigate: (route: DispatcherRoute) => void;
}) {
  const client = useFieldsync();
  const { run, error, busy } = useAction('computer');
  const [asking, setAsking] = useState<'accept' | 'reject' | null>(null);
  const [reason, setReason] = useState('');
  const [reasonProblem, setReasonProblem] = useState<string | null>(null);
  const id = useId();

  const move = async (to: EstimateStatus, extra: { reason?: string } = {}) => {
    const check = checkEstimateTransition({ from: estimate.status, to, actor: role, reason: extra.reason ?? null });
    if (!check.ok) {
      if (to === 'rejected') setReasonProblem(check.message);
      return false;
    }
    return run(() => client.mutate('estimate.setStatus', { id: estimate.id, from: estimate.status, to, ...extra }));
  };

  const submitReject = async (event: FormEvent) => {
    event.preventDefault();
    setReasonProblem(null);
    if (await move('rejected', { reason: reason.trim() })) {
      setAsking(null);
      setReason('');
    }
  };

  const who = customerName ?? 'the customer';
  return (
    <fieldset className="est-actions">
      <legend className="dsp-visually-hidden">Estimate actions</legend>
      {estimate.status === 'draft' ? (
        <>
          <a className="dsp-button" href={routeHref({ name: 'estimate', estimateId: estimate.id, panel: 'edit' })}>
            Edit
          </a>
          <button type="button" className="dsp-button dsp-button-primary" disabled={busy} onClick={() => move('sent')}>
            Mark as sent
          </button>
        </>
      ) : null}
      {estimate.status === 'sent' ? (
        <>
          <button
            type="button"
            className="dsp-button dsp-button-primary"
            disabled={busy}
            aria-expanded={asking === 'accept'}
            onClick={() => setAsking(asking === 'accept' ? null : 'accept')}
          >
            Mark accepted
          </button>
          <button
            type="button"
            className="dsp-button dsp-button-danger"
            disabled={busy}
            aria-expanded={asking === 'reject'}
            onClick={() => setAsking(asking === 'reject' ? null : 'reject')}
          >
            Mark rejected
          </button>
          <button
            type="button"
            className="dsp-button"
            disabled={busy}
            onClick={async () => {
              if (await move('draft')) navigate({ name: 'estimate', estimateId: estimate.id, panel: 'edit' });
            }}
          >
            Revise
          </button>
        </>
      ) : null}
      {estimate.status !== 'draft' && estimate.status !== 'sent' ? (
        <p className="dsp-muted est-confirm">
          {estimate.status === 'accepted'
            ? `${who} accepted this estimate; it stays as accepted.`
            : estimate.status === 'rejected'
              ? `${who} turned this estimate down. Draw up a new one to offer again.`
              : 'This estimate lapsed when its last valid day passed. Draw up a new one to offer again.'}
        </p>
      ) : null}

      {estimate.status === 'sent' && asking === 'accept' ? (
        <div className="est-confirm">
          <span>
            Record that {who} accepted {formatCents(estimate.totalCents, estimate.currency)}?{' '}
            {estimate.jobId
              ? 'The job gets this as its agreed cost.'
              : 'A job is created for it, with this as its agreed cost.'}
          </span>
          <button
            type="button"
            className="dsp-button dsp-button-primary dsp-button-small"
            disabled={busy}
            onClick={async () => {
              if (await move('accepted')) setAsking(null);
            }}
          >
            Yes, mark accepted
          </button>
          <button type="button" className="dsp-button dsp-button-small" onClick={() => setAsking(null)}>
            Not now
          </button>
        </div>
      ) : null}

      {estimate.status === 'sent' && asking === 'reject' ? (
        <form className="est-reason-form" onSubmit={submitReject} noValidate>
          <div className={`dsp-field${reasonProblem ? ' dsp-field-invalid' : ''}`}>
            <label htmlFor={`${id}-reason`}>Why did {who} turn it down?</label>
            <input
              id={`${id}-reason`}
              value={reason}
              maxLength={2000}
              aria-invalid={Boolean(reasonProblem)}
              aria-describedby={reasonProblem ? `${id}-reason-error` : undefined}
              onChange={(event) => {
                setReason(event.target.value);
                setReasonProblem(null);
              }}
            />
            {reasonProblem ? (
              <p id={`${id}-reason-error`} className="dsp-error" role="alert">
                {reasonProblem}
              </p>
            ) : null}
          </div>
          <button type="submit" className="dsp-button dsp-button-danger" disabled={busy}>
            Mark rejected
          </button>
          <button type="button" className="dsp-button" onClick={() => setAsking(null)}>
            Cancel
          </button>
        </form>
      ) : null}

      {error ? (
        <p className="dsp-form-error est-confirm" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Opens the server's PDF of the estimate in a new tab (or downloads it when the browser blocks the tab). */
function PdfButton({ estimate }: { estimate: Estimate }) {
  const client = useFieldsync();
  const [opening, setOpening] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const open = async () => {
    setOpening(true);
    setProblem(null);
    try {
      const pdf = await client.fetchFile(`/api/estimates/${estimate.id}/pdf`);
      const url = URL.createObjectURL(pdf);
      const tab = window.open(url, '_blank');
      if (!tab) downloadBlob(pdf, `${estimate.number || 'estimate'}.pdf`);
      setTimeout(() => URL.revokeObjectURL(url), PDF_URL_LIFETIME_MS);
    } catch (caught) {
      setProblem(
        caught instanceof NetworkError
          ? 'This computer is offline. The PDF is made by the server: open it again once online.'
          : caught instanceof HttpError && caught.status === 404
            ? 'The server does not have this estimate yet. Open the PDF once it has synced.'
            : caught instanceof HttpError
              ? caught.message
              : 'The PDF could not be opened. Try again.',
      );
    } finally {
      setOpening(false);
    }
  };
  return (
    <div className="dsp-toolbar">
      <button type="button" className="dsp-button" onClick={open} disabled={opening} data-testid="estimate-pdf">
        {opening ? 'Opening…' : 'Open PDF'}
      </button>
      {problem ? (
        <p className="dsp-form-error" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
