import { allowedJobTransitions } from '@fieldsync/domain';
import { useId } from 'react';
import type { LocalRow } from '../../sync';
import { useSyncState } from '../../sync/react';
import { formatDateTime } from '../shell/format';
import { useAttachmentUrl } from '../shell/use-attachment-url';
import { useOrganization } from '../shell/use-organization';
import { uploadStatus } from './attachment-words';
import { useJobFiles } from './PhotosSection';
import type { LocalJob } from './use-contractor-data';
import './attachments.css';

/**
 * The customer's signature on the job: the latest one with who signed and
 * when, or, when there is none, whether the job needs one. "Get signature"
 * opens the signing sheet (held by the job screen, which the Complete
 * action opens too).
 */
export function SignatureSection(props: { job: LocalJob; canEdit: boolean; onGetSignature: () => void }) {
  const { job } = props;
  const { online } = useSyncState();
  const clock = useOrganization();
  const { attachments, filesById } = useJobFiles(job.id);
  const signatures = attachments?.filter((row) => row.kind === 'signature') ?? [];
  const latest: LocalRow<'attachments'> | undefined = signatures[signatures.length - 1];
  const id = useId();
  // While "Mark completed" waits for a signature, the Status panel offers "Get signature" itself: one button, not two.
  const offeredInStatus =
    props.canEdit &&
    job.requiresSignature &&
    !latest &&
    allowedJobTransitions(job.status, 'contractor').includes('completed');

  if (attachments === undefined) return null;
  return (
    <section className="ct-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Customer signature</h2>
      {latest ? (
        <div className="ct-signature">
          <SignatureImage attachmentId={latest.id} />
          <p className="ct-signature__who">
            Signed by <strong>{latest.signerName ?? 'the customer'}</strong>
          </p>
          <p className="fs-muted">
            {formatDateTime(latest.takenAt, clock)} ·{' '}
            {
              uploadStatus(
                { uploadedAt: latest.uploadedAt, byteSize: latest.byteSize, local: filesById.get(latest.id) },
                online,
              ).text
            }
          </p>
        </div>
      ) : job.requiresSignature ? (
        <p className="ct-signature__needed">
          This job needs the customer’s signature before it can be completed
          {offeredInStatus ? ': use “Get signature” under Status when the customer is ready.' : '.'}
        </p>
      ) : (
        <p className="fs-muted">No signature yet.</p>
      )}
      {props.canEdit && !offeredInStatus ? (
        <button
          type="button"
          className={`fs-button fs-button--block ${latest ? 'fs-button--secondary' : 'fs-button--primary'}`}
          onClick={props.onGetSignature}
        >
          {latest ? 'Get a new signature' : 'Get signature'}
        </button>
      ) : null}
    </section>
  );
}

function SignatureImage({ attachmentId }: { attachmentId: string }) {
  const { url, state } = useAttachmentUrl(attachmentId, 'thumbnail');
  if (url) return <img className="ct-signature__img" src={url} alt="The customer’s signature" />;
  return (
    <p className="ct-signature__img ct-signature__img--empty" aria-busy={state === 'loading'}>
      {state === 'loading' ? 'Loading…' : state === 'offline' ? 'Shows when online' : 'No preview'}
    </p>
  );
}
