import { formatCents, isEstimateLapsed, TEXT_LIMITS } from '@fieldsync/domain';
import { type FormEvent, useId, useRef, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { materialsToAdd } from '../estimates/estimate-draft';
import { formatLocalDate, plural } from '../shell/format';
import { Sheet } from '../shell/Sheet';
import { useAction } from '../shell/use-action';
import { argsProblems } from '../shell/validate-args';
import { SignatureSheet } from './SignatureSheet';
import type { LocalCustomer, LocalJob } from './use-contractor-data';

type LocalEstimate = LocalRow<'estimates'>;

/** What the office hears, and when. */
function toldWords(online: boolean): string {
  return online ? 'The office has been told.' : 'The office will be told as soon as this phone is back online.';
}

/** Sent first when still a draft: a customer answers an estimate they were given. */
async function sendIfDraft(client: ReturnType<typeof useFieldsync>, estimateId: string) {
  const current = await client.db.estimates.get(estimateId);
  if (current?.status === 'draft') {
    await client.mutate('estimate.setStatus', { id: estimateId, from: 'draft', to: 'sent' });
  }
}

type Step = 'intro' | 'signing' | 'saving';

/**
 * "Customer accepts": what the customer agrees to, then the signing sheet
 * (the job screen's own, with the signer's printed name). Once signed, it
 * queues, in this order, the signature (on `job`, the contractor's job for
 * this customer), draft → sent when still a draft, then sent → accepted
 * naming the signature. All offline; the estimate shows accepted at once.
 */
export function AcceptEstimateSheet(props: {
  open: boolean;
  onClose: () => void;
  onAccepted: (message: string) => void;
  estimate: LocalEstimate;
  job: LocalJob;
  customer: LocalCustomer | undefined;
  address: string | null;
  today: string;
}) {
  const { estimate, job } = props;
  const client = useFieldsync();
  const { online } = useSyncState();
  const { run, error, busy } = useAction();
  const [step, setStepState] = useState<Step>('intro');
  // The dialogs' close events arrive after a render: they read the step from here, not from a stale closure.
  const stepRef = useRef<Step>('intro');
  const setStep = (next: Step) => {
    stepRef.current = next;
    setStepState(next);
  };
  // The signature the pad stored, if the customer signed before the signing sheet closed.
  const signedId = useRef<string | null>(null);
  // A signature saved whose acceptance could not be queued: offered again without signing again.
  const [savedSignatureId, setSavedSignatureId] = useState<string | null>(null);

  function startSigning() {
    signedId.current = null;
    setStep('signing');
  }

  async function signingClosed() {
    if (stepRef.current !== 'signing') return;
    const fresh = signedId.current;
    if (!fresh) {
      // Cancelled: nothing was signed.
      setStep('intro');
      return;
    }
    setSavedSignatureId(fresh);
    await accept(fresh);
  }

  async function accept(signatureAttachmentId: string) {
    setStep('saving');
    const ok = await run(async () => {
      await sendIfDraft(client, estimate.id);
      await client.mutate('estimate.setStatus', {
        id: estimate.id,
        from: 'sent',
        to: 'accepted',
        signatureAttachmentId,
      });
    });
    setStep('intro');
    if (ok) {
      setSavedSignatureId(null);
      props.onAccepted(`The customer accepted ${estimate.title}. ${toldWords(online)}`);
      props.onClose();
    }
  }

  const lapsed = isEstimateLapsed(estimate, props.today);
  return (
    <>
      <Sheet
        open={props.open && step !== 'signing'}
        title="Customer accepts"
        onClose={() => {
          // Closing to show the signing sheet is not closing the whole flow.
          if (stepRef.current === 'intro') props.onClose();
        }}
      >
        <div className="es-sheet">
          <p className="es-sheet__what">
            <strong>{estimate.title}</strong> for <strong>{formatCents(estimate.totalCents, estimate.currency)}</strong>{' '}
            (tax included), valid until {formatLocalDate(estimate.validUntil)}.
          </p>
          {lapsed ? (
            <p className="es-warning" role="note">
              The price held until {formatLocalDate(estimate.validUntil)}. Check with the office before the customer
              accepts.
            </p>
          ) : null}
          <p>
            Hand the phone to {props.customer?.name ?? 'the customer'}: they sign to accept this estimate and its total,
            and print their name. The signature is kept with the job {job.title}.
          </p>
          {error ? (
            <p className="fs-error" role="alert">
              {savedSignatureId
                ? `The signature is saved, but the estimate is not marked accepted yet. ${error}`
                : error}
            </p>
          ) : null}
          {savedSignatureId ? (
            <button
              type="button"
              className="fs-button fs-button--primary fs-button--block"
              disabled={busy}
              onClick={() => void accept(savedSignatureId)}
            >
              Mark accepted with this signature
            </button>
          ) : (
            <button
              type="button"
              className="fs-button fs-button--primary fs-button--block"
              disabled={busy || step === 'saving'}
              onClick={startSigning}
            >
              {step === 'saving' ? 'Saving…' : 'Customer signs'}
            </button>
          )}
        </div>
      </Sheet>
      <SignatureSheet
        open={props.open && step === 'signing'}
        onClose={() => void signingClosed()}
        onSaved={(id) => {
          signedId.current = id;
        }}
        purpose="to accept this estimate and its total"
        caption={`Accepted estimate ${estimate.title}`.slice(0, 2000)}
        job={job}
        customer={props.customer}
        address={props.address}
      />
    </>
  );
}

/** "Customer declines": why, in their words (required), then sent → declined (a draft is marked sent first). */
export function DeclineEstimateSheet(props: {
  open: boolean;
  onClose: () => void;
  onDeclined: (message: string) => void;
  estimate: LocalEstimate;
}) {
  return (
    <Sheet open={props.open} title="Customer declines" onClose={props.onClose}>
      <DeclineForm {...props} />
    </Sheet>
  );
}

function DeclineForm(props: { onClose: () => void; onDeclined: (message: string) => void; estimate: LocalEstimate }) {
  const { estimate } = props;
  const client = useFieldsync();
  const { online } = useSyncState();
  const { run, error, busy } = useAction();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const args = { id: estimate.id, from: 'sent' as const, to: 'rejected' as const, reason: reason.trim() };
    if (!args.reason) {
      setProblem('Say why the customer turned the estimate down.');
      return;
    }
    const found = argsProblems('estimate.setStatus', args, { reason: 'The reason' });
    if (found) {
      setProblem(Object.values(found)[0] ?? 'The reason cannot be saved as written.');
      return;
    }
    setProblem(null);
    const ok = await run(async () => {
      await sendIfDraft(client, estimate.id);
      await client.mutate('estimate.setStatus', args);
    });
    if (ok) {
      props.onDeclined(`Marked ${estimate.title} as declined. ${toldWords(online)}`);
      props.onClose();
    }
  }

  return (
    <form className="es-sheet" noValidate onSubmit={(event) => void submit(event)}>
      <div className="fs-field">
        <label htmlFor={`${id}-reason`}>Why did the customer decline?</label>
        <textarea
          id={`${id}-reason`}
          className="fs-input"
          rows={3}
          maxLength={TEXT_LIMITS.reason}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
        {problem ? (
          <p id={`${id}-problem`} className="fs-error">
            {problem}
          </p>
        ) : null}
      </div>
      {error ? (
        <p className="fs-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="fs-button fs-button--danger fs-button--block" disabled={busy}>
        Mark declined
      </button>
    </form>
  );
}

/** "Send to customer": the draft becomes sent and can no longer be changed. */
export function SendEstimateButton(props: { estimate: LocalEstimate; onSent: (message: string) => void }) {
  const client = useFieldsync();
  const { online } = useSyncState();
  const { run, error, busy } = useAction();
  const id = useId();
  return (
    <div className="es-action">
      <button
        type="button"
        className="fs-button fs-button--secondary fs-button--block"
        disabled={busy}
        aria-describedby={`${id}-hint`}
        onClick={() =>
          void run(() =>
            client.mutate('estimate.setStatus', { id: props.estimate.id, from: 'draft', to: 'sent' }),
          ).then((ok) => {
            if (ok) props.onSent(`${props.estimate.title} is marked as sent to the customer. ${toldWords(online)}`);
          })
        }
      >
        Send to customer
      </button>
      <p id={`${id}-hint`} className="es-hint">
        Marks it as given to the customer. A sent estimate can no longer be changed.
      </p>
      {error ? (
        <p className="fs-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The accepted estimate's material lines as the job's materials checklist,
 * in one tap: `material.add` for each line not on the list yet (by name).
 */
export function AddEstimateMaterials(props: { estimate: LocalEstimate; jobId: string; jobTitle: string }) {
  const { estimate, jobId } = props;
  const client = useFieldsync();
  const { run, error, busy } = useAction();
  const [done, setDone] = useState<string | null>(null);
  const onJob = useLiveQuery(() => client.db.materials.where('jobId').equals(jobId).toArray(), [client, jobId]);
  const materialLines = estimate.lines.filter((line) => line.kind === 'material').length;
  if (materialLines === 0 || onJob === undefined) return null;
  const toAdd = materialsToAdd(estimate.lines, onJob);

  async function add() {
    let added = 0;
    const ok = await run(async () => {
      for (const material of toAdd) {
        await client.mutate('material.add', { id: crypto.randomUUID(), jobId, ...material });
        added += 1;
      }
    });
    if (ok) setDone(`Added ${plural(added, 'material')} to the list for ${props.jobTitle}.`);
    else if (added > 0) setDone(`Added ${plural(added, 'material')} before the problem below.`);
  }

  return (
    <div className="es-action">
      {toAdd.length > 0 ? (
        <button
          type="button"
          className="fs-button fs-button--secondary fs-button--block"
          disabled={busy}
          onClick={() => void add()}
        >
          Add {plural(toAdd.length, 'material')} to the job’s list
        </button>
      ) : done ? null : (
        <p className="fs-muted">Every material on this estimate is on the job’s list.</p>
      )}
      <p className="es-confirmation" role="status">
        {done}
      </p>
      {error ? (
        <p className="fs-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
