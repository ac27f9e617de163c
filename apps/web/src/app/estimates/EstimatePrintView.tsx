import { useState } from 'react';
import { type FieldsyncClient, HttpError, NetworkError } from '../../sync';
import { useLiveQuery, useSyncState } from '../../sync/react';
import { downloadBlob } from '../shell/download';
import { formatDateTime, todayIn } from '../shell/format';
import { useAttachmentUrl } from '../shell/use-attachment-url';
import { useOrganization } from '../shell/use-organization';
import { EstimateStatusChip } from './EstimateStatusChip';
import { EstimateFacts, EstimateLinesTable } from './EstimateSummary';
import { estimateNumberText } from './estimate-words';
import './estimates.css';

/** Whether this browser can hand a PDF file to the system's share sheet (phones, mostly). */
function canShareFiles(): boolean {
  try {
    const probe = new File([''], 'estimate.pdf', { type: 'application/pdf' });
    return typeof navigator.share === 'function' && navigator.canShare?.({ files: [probe] }) === true;
  } catch {
    return false;
  }
}

/** The PDF's file name: the estimate's number, else a plain name. */
function pdfFileName(number: string): string {
  return `${number || 'estimate'}.pdf`;
}

/**
 * An estimate on one printable page, from this device's copy (works
 * offline): company, customer, lines, totals, validity, status and the
 * customer's signature. "Print" uses the browser's print; "Share PDF" /
 * "Open PDF" fetches the server's PDF when online.
 */
export function EstimatePrintView(props: { client: FieldsyncClient; estimateId: string; backHref?: string }) {
  const { client, estimateId } = props;
  const db = client.db;
  const clock = useOrganization();
  const data = useLiveQuery(async () => {
    const estimate = await db.estimates.get(estimateId);
    if (!estimate) return null;
    const [customer, signature] = await Promise.all([
      db.customers.get(estimate.customerId),
      estimate.signatureAttachmentId ? db.attachments.get(estimate.signatureAttachmentId) : undefined,
    ]);
    return { estimate, customer, signature };
  }, [db, estimateId]);

  const back = props.backHref ? (
    <a className="ct-back es-no-print" href={props.backHref}>
      ‹ Back to the estimate
    </a>
  ) : null;

  if (data === undefined) {
    return (
      <p className="es-empty" aria-busy="true">
        Opening the estimate…
      </p>
    );
  }
  if (data === null) {
    return (
      <div className="es-print-screen">
        {back}
        <h1>Estimate not on this device</h1>
        <p>It may have been removed, or it has not been downloaded yet.</p>
      </div>
    );
  }

  const { estimate, customer, signature } = data;
  const company = clock.organization?.name ?? 'Estimate';
  const today = todayIn(clock);
  return (
    <div className="es-print-screen">
      {back}
      <div className="es-print-toolbar es-no-print">
        <button type="button" className="fs-button fs-button--primary" onClick={() => window.print()}>
          Print
        </button>
        <PdfButton client={client} estimateId={estimate.id} number={estimate.number} title={estimate.title} />
      </div>

      <article className="es-print" aria-labelledby="es-print-title">
        <header className="es-print__head">
          <div>
            <p className="es-print__company">{company}</p>
            <h1 id="es-print-title" className="es-print__title">
              Estimate <span className="es-print__number">{estimateNumberText(estimate.number)}</span>
            </h1>
          </div>
          <EstimateStatusChip status={estimate.status} />
        </header>

        <section className="es-print__parties" aria-label="Customer">
          <h2 className="es-print__label">For</h2>
          <p className="es-print__customer">{customer?.name ?? 'Customer not on this device'}</p>
          {customer?.address ? <p>{customer.address}</p> : null}
          {customer?.phone ? <p>{customer.phone}</p> : null}
          {customer?.email ? <p>{customer.email}</p> : null}
        </section>

        <h2 className="es-print__work">{estimate.title}</h2>
        <EstimateLinesTable estimate={estimate} />
        <EstimateFacts estimate={estimate} clock={clock} today={today} />

        <section className="es-print__signature" aria-label="Customer signature">
          {signature ? (
            <>
              <SignatureImage attachmentId={signature.id} />
              <p>
                Accepted by <strong>{signature.signerName ?? 'the customer'}</strong>,{' '}
                {formatDateTime(estimate.acceptedAt ?? signature.takenAt, clock)}
              </p>
            </>
          ) : estimate.status === 'accepted' ? (
            <p>Accepted{estimate.acceptedAt ? ` ${formatDateTime(estimate.acceptedAt, clock)}` : ''}.</p>
          ) : (
            <div className="es-print__sign-here">
              <span>Customer signature</span>
              <span>Date</span>
            </div>
          )}
        </section>
      </article>
    </div>
  );
}

function SignatureImage({ attachmentId }: { attachmentId: string }) {
  const { url, state } = useAttachmentUrl(attachmentId, 'full');
  if (url) return <img className="es-print__signature-img" src={url} alt="The customer’s signature" />;
  return (
    <p className="es-print__signature-img es-print__signature-img--empty" aria-busy={state === 'loading'}>
      {state === 'loading'
        ? 'Loading the signature…'
        : state === 'offline'
          ? 'The signature shows when this device is online.'
          : 'The signature is not available yet.'}
    </p>
  );
}

/**
 * "Share PDF" (the phone's share sheet) or "Open PDF" (a new tab, else a
 * download): the server's PDF of the estimate, fetched as the signed-in
 * person. Offline, or before the office has the estimate, it says why not.
 */
function PdfButton(props: { client: FieldsyncClient; estimateId: string; number: string; title: string }) {
  const { online } = useSyncState();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const share = canShareFiles();
  const label = share ? 'Share PDF' : 'Open PDF';
  // The server draws the number when the estimate reaches it: without one it has no PDF to give.
  const synced = props.number !== '';

  async function getPdf() {
    setBusy(true);
    setProblem(null);
    // A tab opened after the download would be blocked as a pop-up: open it now, fill it later.
    const tab = share ? null : window.open('', '_blank');
    try {
      const fetched = await props.client.fetchFile(`/api/estimates/${encodeURIComponent(props.estimateId)}/pdf`);
      const pdf = fetched.type === 'application/pdf' ? fetched : new Blob([fetched], { type: 'application/pdf' });
      const fileName = pdfFileName(props.number);
      if (share) {
        await navigator.share({
          files: [new File([pdf], fileName, { type: 'application/pdf' })],
          title: `Estimate ${props.number}: ${props.title}`,
        });
      } else if (tab) {
        const url = URL.createObjectURL(pdf);
        tab.location.href = url;
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      } else {
        downloadBlob(pdf, fileName);
      }
    } catch (error) {
      tab?.close();
      // Closing the share sheet is not a problem.
      if (error instanceof DOMException && error.name === 'AbortError') return;
      if (error instanceof NetworkError) setProblem('The PDF needs a connection. Printing this page still works.');
      else if (error instanceof HttpError && error.status === 404) {
        setProblem('The office does not have this estimate yet. Try again once this device has synced.');
      } else setProblem('The PDF could not be made just now. Try again, or print this page.');
    } finally {
      setBusy(false);
    }
  }

  if (!online || !synced) {
    return (
      <div className="es-pdf">
        <button type="button" className="fs-button fs-button--secondary" disabled>
          {online ? 'PDF after sync' : 'PDF needs a connection'}
        </button>
        <p className="es-hint">
          {online
            ? 'The PDF is ready once this estimate has reached the office. Printing works now.'
            : 'The PDF comes from the office’s server. Printing this page works offline.'}
        </p>
      </div>
    );
  }
  return (
    <div className="es-pdf">
      <button type="button" className="fs-button fs-button--secondary" disabled={busy} onClick={() => void getPdf()}>
        {busy ? 'Getting the PDF…' : label}
      </button>
      {problem ? (
        <p className="fs-error" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
