/**
 * The contractor's estimate screens (`#/estimates/new/<jobId>`,
 * `#/estimates/<id>`, `#/estimates/<id>/print`), loaded as a chunk of their
 * own when first opened. All from this phone's copy, so they work offline.
 */
import { isEstimateLapsed } from '@fieldsync/domain';
import { useRef, useState } from 'react';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import {
  AcceptEstimateSheet,
  AddEstimateMaterials,
  DeclineEstimateSheet,
  SendEstimateButton,
} from '../contractor/AcceptEstimateSheet';
import { useAgenda } from '../contractor/use-contractor-data';
import { dayHref, estimateHref, estimatePrintHref, jobHref, useScreenFocus } from '../router';
import { formatLocalDate, todayIn } from '../shell/format';
import { useOrganization } from '../shell/use-organization';
import { EstimateEditor } from './EstimateEditor';
import { EstimatePrintView } from './EstimatePrintView';
import { EstimateStatusChip } from './EstimateStatusChip';
import { EstimateFacts, EstimateLinesTable } from './EstimateSummary';
import { pickSignatureJob } from './estimate-jobs';
import { estimateNumberText } from './estimate-words';
import './estimates.css';

/** A new estimate for the customer of job `jobId`: for that job, or (unticked) new work for the customer. */
export function NewEstimateScreen({ jobId }: { jobId: string }) {
  const client = useFieldsync();
  const heading = useRef<HTMLHeadingElement>(null);
  const data = useLiveQuery(async () => {
    const job = await client.db.jobs.get(jobId);
    return { job: job ?? null };
  }, [client, jobId]);
  useScreenFocus(`estimate-new:${jobId}:${data ? 'loaded' : 'loading'}`, heading);
  const back = (
    <a className="ct-back" href={jobHref(jobId)}>
      ‹ Back to the job
    </a>
  );

  if (data === undefined) {
    return (
      <div className="ct-screen">
        {back}
        <p className="ct-empty" aria-busy="true">
          Loading…
        </p>
      </div>
    );
  }
  const { job } = data;
  if (!job?.customerId) {
    return (
      <div className="ct-screen">
        <a className="ct-back" href={dayHref(undefined)}>
          ‹ My day
        </a>
        <h1 ref={heading} tabIndex={-1}>
          New estimate
        </h1>
        <p className="ct-empty">
          {job
            ? 'This job has no customer on file, so there is no one to write an estimate for.'
            : 'This job is not on this phone any more.'}
        </p>
      </div>
    );
  }
  return (
    <div className="ct-screen">
      {back}
      <h1 ref={heading} tabIndex={-1}>
        New estimate
      </h1>
      <EstimateEditor
        client={client}
        customerId={job.customerId}
        jobId={job.id}
        onSaved={(estimateId) => {
          window.location.hash = estimateHref(estimateId);
        }}
        onCancel={() => {
          window.location.hash = jobHref(job.id);
        }}
      />
    </div>
  );
}

/**
 * One estimate: its lines, totals and status, and what can be done with it
 * on site — edit while a draft, send, the customer accepts (signing) or
 * declines, the materials onto the job's list, the print view.
 */
export function EstimateScreen({
  estimateId,
  contractorId,
}: {
  estimateId: string;
  contractorId: string | null | undefined;
}) {
  const client = useFieldsync();
  const clock = useOrganization();
  const today = todayIn(clock);
  const heading = useRef<HTMLHeadingElement>(null);
  const agenda = useAgenda(contractorId);
  const data = useLiveQuery(async () => {
    const estimate = await client.db.estimates.get(estimateId);
    if (!estimate || estimate.deletedAt) return null;
    const [customer, job] = await Promise.all([
      client.db.customers.get(estimate.customerId),
      estimate.jobId ? client.db.jobs.get(estimate.jobId) : undefined,
    ]);
    return { estimate, customer, job };
  }, [client, estimateId]);
  const [editing, setEditing] = useState(false);
  const [sheet, setSheet] = useState<'accept' | 'decline' | null>(null);
  const [confirmation, setConfirmation] = useState<string | null>(null);
  useScreenFocus(`estimate:${estimateId}:${data ? 'loaded' : 'loading'}:${editing}`, heading);

  const estimate = data?.estimate;
  // The contractor's job for this customer: where the signature goes, and where "back" leads.
  const signatureEntry = estimate
    ? pickSignatureJob(
        estimate,
        (agenda ?? []).map((entry) => ({ ...entry, scheduledStart: entry.assignment.scheduledStart })),
        Date.now(),
      )
    : undefined;
  const backJob = data?.job ?? signatureEntry?.job;
  const back = (
    <a className="ct-back" href={backJob ? jobHref(backJob.id) : dayHref(undefined)}>
      ‹ {backJob ? backJob.title : 'My day'}
    </a>
  );

  if (data === undefined) {
    return (
      <div className="ct-screen">
        {back}
        <p className="ct-empty" aria-busy="true">
          Loading estimate…
        </p>
      </div>
    );
  }
  if (data === null || !estimate) {
    return (
      <div className="ct-screen">
        {back}
        <h1 ref={heading} tabIndex={-1}>
          Estimate not on this phone
        </h1>
        <p>It may have been removed, or the customer is no longer one of your jobs’.</p>
      </div>
    );
  }

  const { customer, job } = data;
  const status = estimate.status;
  const canAnswer = status === 'draft' || status === 'sent';
  const address = signatureEntry ? (signatureEntry.job.address ?? signatureEntry.customer?.address ?? null) : null;

  return (
    <div className="ct-screen">
      {back}
      <header className="ct-job-head">
        <div className="ct-job-head__chips">
          <EstimateStatusChip status={status} />
          {estimate._pendingSeq !== undefined ? <span className="ct-badge ct-badge--pending">Not sent yet</span> : null}
        </div>
        <h1 ref={heading} tabIndex={-1}>
          {editing ? `Edit ${estimate.title}` : estimate.title}
        </h1>
        <p className="fs-muted">{estimateNumberText(estimate.number)}</p>
        <p>
          {customer?.name ?? 'Customer not on this phone'}
          {' · '}
          {estimate.jobId ? (job ? `for ${job.title}` : 'for a job') : 'new work'}
        </p>
      </header>

      <div className="ct-confirmation-region" role="status">
        {confirmation ? (
          <div className="ct-confirmation">
            <p>{confirmation}</p>
            <button
              type="button"
              className="fs-button fs-button--ghost fs-button--small"
              onClick={() => setConfirmation(null)}
            >
              OK
            </button>
          </div>
        ) : null}
      </div>

      {editing ? (
        <EstimateEditor
          client={client}
          estimate={estimate}
          customerId={estimate.customerId}
          jobId={estimate.jobId ?? signatureEntry?.job.id ?? null}
          onSaved={() => {
            setEditing(false);
            setConfirmation('Changes saved.');
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          {isEstimateLapsed(estimate, today) ? (
            <p className="es-warning" role="note">
              The price held until {formatLocalDate(estimate.validUntil)}. The office can send a new estimate.
            </p>
          ) : null}

          <section className="ct-panel" aria-labelledby="es-lines-title">
            <h2 id="es-lines-title">Lines and total</h2>
            <EstimateLinesTable estimate={estimate} />
            <EstimateFacts estimate={estimate} clock={clock} today={today} />
          </section>

          <section className="ct-panel" aria-labelledby="es-actions-title">
            <h2 id="es-actions-title">{canAnswer ? 'With the customer' : 'Next'}</h2>
            {status === 'draft' ? (
              <button
                type="button"
                className="fs-button fs-button--secondary fs-button--block"
                onClick={() => setEditing(true)}
              >
                Edit estimate
              </button>
            ) : null}
            {status === 'draft' ? <SendEstimateButton estimate={estimate} onSent={setConfirmation} /> : null}
            {canAnswer ? (
              signatureEntry ? (
                <button
                  type="button"
                  className="fs-button fs-button--primary fs-button--block"
                  onClick={() => setSheet('accept')}
                >
                  Customer accepts
                </button>
              ) : (
                <p className="fs-muted">
                  To record the customer accepting, this phone needs one of your jobs for this customer.
                </p>
              )
            ) : null}
            {canAnswer ? (
              <button
                type="button"
                className="fs-button fs-button--secondary fs-button--block"
                onClick={() => setSheet('decline')}
              >
                Customer declines
              </button>
            ) : null}
            {status === 'accepted' && estimate.jobId && job ? (
              <AddEstimateMaterials estimate={estimate} jobId={estimate.jobId} jobTitle={job.title} />
            ) : null}
            {status === 'accepted' && !estimate.jobId ? (
              <p className="fs-muted">A job for this work is created when the estimate reaches the office.</p>
            ) : null}
            <a className="fs-button fs-button--ghost fs-button--block" href={estimatePrintHref(estimate.id)}>
              Print view and PDF
            </a>
          </section>
        </>
      )}

      {signatureEntry ? (
        <AcceptEstimateSheet
          open={sheet === 'accept'}
          onClose={() => setSheet(null)}
          onAccepted={setConfirmation}
          estimate={estimate}
          job={signatureEntry.job}
          customer={customer}
          address={address}
          today={today}
        />
      ) : null}
      <DeclineEstimateSheet
        open={sheet === 'decline'}
        onClose={() => setSheet(null)}
        onDeclined={setConfirmation}
        estimate={estimate}
      />
    </div>
  );
}

/** The print view, with a way back to the estimate. */
export function EstimatePrintScreen({ estimateId }: { estimateId: string }) {
  const client = useFieldsync();
  return <EstimatePrintView client={client} estimateId={estimateId} backHref={estimateHref(estimateId)} />;
}
