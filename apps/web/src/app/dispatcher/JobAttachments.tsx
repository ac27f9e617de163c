import { type KeyboardEvent, useId, useMemo, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { ATTACHMENT_KIND_LABEL, formatBytes } from '../contractor/attachment-words';
import { useModalDialog } from '../shell/Sheet';
import { useAction } from '../shell/use-action';
import { useAttachmentUrl } from '../shell/use-attachment-url';
import { useOrganization } from '../shell/use-organization';
import { galleryOrder, photoCountText, stepIndex } from './attachment-gallery';
import { useUserName } from './dispatcher-data';
import { formatDateTime } from './format';
import './attachments.css';

type Attachment = LocalRow<'attachments'>;

const EMPTY: never[] = [];

/** "3 photos · 1 signature · 1 PDF". */
function galleryCounts(items: readonly Attachment[]): string {
  const photos = items.filter((item) => item.kind === 'photo').length;
  const signatures = items.filter((item) => item.kind === 'signature').length;
  const documents = items.filter((item) => item.kind === 'document').length;
  return [
    photos ? photoCountText(photos) : null,
    signatures ? (signatures === 1 ? '1 signature' : `${signatures} signatures`) : null,
    documents ? (documents === 1 ? '1 PDF' : `${documents} PDFs`) : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * The job's photos, documents and signatures for the office: thumbnails,
 * a full-size view (arrow keys move, Escape closes) with a download, and
 * which files are still on their way from the phone.
 */
export function JobAttachments({ jobId }: { jobId: string }) {
  const { db } = useFieldsync();
  const { online } = useSyncState();
  const rows = useLiveQuery(() => db.attachments.where('jobId').equals(jobId).toArray(), [db, jobId], undefined);
  const items = useMemo(() => galleryOrder(rows ?? EMPTY), [rows]);
  const [openId, setOpenId] = useState<string | null>(null);
  const openIndex = openId ? items.findIndex((item) => item.id === openId) : -1;
  const id = useId();

  return (
    <section className="dsp-box dsp-att" aria-labelledby={`${id}-title`} data-testid="job-attachments">
      <div className="dsp-box-head">
        <h2 id={`${id}-title`}>Photos &amp; documents</h2>
        {items.length ? <span className="dsp-muted dsp-att-counts">{galleryCounts(items)}</span> : null}
      </div>
      {!online && items.length ? (
        <p className="dsp-att-offline" role="status">
          Offline: only pictures this computer has already opened can show.
        </p>
      ) : null}
      {rows === undefined ? (
        <p className="dsp-muted" aria-busy="true">
          Loading…
        </p>
      ) : items.length === 0 ? (
        <p className="dsp-muted">No photos or documents yet.</p>
      ) : (
        <ul className="dsp-att-grid" aria-label="Photos, documents and signatures">
          {items.map((item) => (
            <AttachmentTile key={item.id} item={item} onOpen={() => setOpenId(item.id)} />
          ))}
        </ul>
      )}
      <AttachmentViewer
        items={items}
        index={openIndex}
        onMove={(index) => setOpenId(items[index]?.id ?? null)}
        onClose={() => setOpenId(null)}
      />
    </section>
  );
}

/** One thumbnail with what it is, when, and whether its bytes have arrived. */
function AttachmentTile({ item, onOpen }: { item: Attachment; onOpen: () => void }) {
  const clock = useOrganization();
  const userName = useUserName();
  const title =
    item.kind === 'signature'
      ? `Signed by ${item.signerName ?? 'the customer'}`
      : item.kind === 'document'
        ? item.fileName
        : (item.caption ?? 'Photo');
  return (
    <li className={`dsp-att-tile dsp-att-tile-${item.kind}`}>
      <button type="button" className="dsp-att-open" onClick={onOpen} aria-label={`Open ${title}`}>
        {item.kind === 'document' ? (
          <span className="dsp-att-doc">
            <span className="dsp-att-doc-mark" aria-hidden="true">
              PDF
            </span>
            <span className="dsp-att-doc-name">{item.fileName}</span>
          </span>
        ) : (
          <Thumbnail attachmentId={item.id} uploaded={item.uploadedAt !== null} />
        )}
      </button>
      <p className="dsp-att-title" title={title}>
        {title}
      </p>
      <p className="dsp-att-meta">
        {formatDateTime(item.takenAt, clock)}
        {item.kind !== 'signature' ? ` · ${userName(item.createdBy)}` : ''}
      </p>
      {item.uploadedAt === null ? <p className="dsp-att-uploading">Uploading from the phone</p> : null}
    </li>
  );
}

function Thumbnail({ attachmentId, uploaded }: { attachmentId: string; uploaded: boolean }) {
  const { url, state } = useAttachmentUrl(attachmentId, 'thumbnail');
  if (url) return <img className="dsp-att-img" src={url} alt="" loading="lazy" decoding="async" />;
  return (
    <span className="dsp-att-placeholder" aria-busy={state === 'loading'}>
      {state === 'loading'
        ? 'Loading…'
        : state === 'offline'
          ? 'Shows when online'
          : uploaded
            ? 'No preview'
            : 'Not here yet'}
    </span>
  );
}

/**
 * The full-size view: a modal `<dialog>` (Escape closes, focus returns),
 * ← and → step through the gallery, Download saves the file under its name.
 */
function AttachmentViewer(props: {
  items: readonly Attachment[];
  index: number;
  onMove: (index: number) => void;
  onClose: () => void;
}) {
  const { items, index, onMove, onClose } = props;
  const item = index >= 0 ? items[index] : undefined;
  const open = item !== undefined;
  const titleId = useId();

  const dialog = useModalDialog(open);

  const step = (direction: -1 | 1) => {
    onMove(stepIndex(index, direction, items.length));
    // The next file's controls replace the focused one: keep focus in the dialog so the arrows go on working.
    requestAnimationFrame(() => {
      const element = dialog.current;
      if (element?.open && !element.contains(document.activeElement)) element.focus();
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    // Arrow keys inside a field or on a button keep their own meaning only where they have one.
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, select')) return;
    if (event.key === 'ArrowRight') {
      event.preventDefault();
      step(1);
    } else if (event.key === 'ArrowLeft') {
      event.preventDefault();
      step(-1);
    }
  };

  return (
    <dialog
      ref={dialog}
      className="dsp-att-viewer"
      aria-labelledby={titleId}
      tabIndex={-1}
      onClose={onClose}
      onKeyDown={onKeyDown}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside the panel) closes, like Escape.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      {item ? (
        <ViewerBody
          key={item.id}
          item={item}
          position={`${index + 1} of ${items.length}`}
          titleId={titleId}
          canStep={items.length > 1}
          onStep={step}
          onClose={onClose}
        />
      ) : null}
    </dialog>
  );
}

function ViewerBody(props: {
  item: Attachment;
  position: string;
  titleId: string;
  canStep: boolean;
  onStep: (direction: -1 | 1) => void;
  onClose: () => void;
}) {
  const { item } = props;
  // Its own error line: the job page's is hidden behind this dialog.
  const remove = useAction('computer');
  const client = useFieldsync();
  const clock = useOrganization();
  const userName = useUserName();
  const { url, state } = useAttachmentUrl(item.id, 'full');
  const [confirming, setConfirming] = useState(false);
  const title =
    item.kind === 'signature'
      ? `Signed by ${item.signerName ?? 'the customer'}`
      : (item.caption ?? (item.kind === 'document' ? item.fileName : 'Photo'));
  const noun = ATTACHMENT_KIND_LABEL[item.kind].toLowerCase();

  return (
    <div className="dsp-att-viewer-panel">
      <header className="dsp-att-viewer-head">
        <div>
          <h2 id={props.titleId}>{title}</h2>
          <p className="dsp-muted">
            {ATTACHMENT_KIND_LABEL[item.kind]} · {props.position}
          </p>
        </div>
        <div className="dsp-toolbar">
          {url ? (
            <a className="dsp-button dsp-button-primary" href={url} download={item.fileName}>
              Download
            </a>
          ) : null}
          <button type="button" className="dsp-button" onClick={props.onClose}>
            Close
          </button>
        </div>
      </header>

      <div className="dsp-att-stage">
        {props.canStep ? (
          <button
            type="button"
            className="dsp-att-step dsp-att-step-prev"
            onClick={() => props.onStep(-1)}
            aria-label="Previous"
          >
            ‹
          </button>
        ) : null}
        {url && item.kind !== 'document' ? (
          <img className={`dsp-att-full dsp-att-full-${item.kind}`} src={url} alt={title} />
        ) : url ? (
          <div className="dsp-att-stage-note">
            <span className="dsp-att-doc-mark" aria-hidden="true">
              PDF
            </span>
            <p>
              <strong>{item.fileName}</strong> · {formatBytes(item.byteSize)}
            </p>
            <a className="dsp-button" href={url} target="_blank" rel="noreferrer">
              Open in a new tab
            </a>
          </div>
        ) : (
          <p className="dsp-att-stage-note" aria-busy={state === 'loading'}>
            {state === 'loading'
              ? 'Loading…'
              : state === 'offline'
                ? 'This computer is offline; the file shows when it is back online.'
                : item.uploadedAt === null
                  ? 'Still uploading from the phone. It shows here as soon as it arrives.'
                  : 'This file could not be found.'}
          </p>
        )}
        {props.canStep ? (
          <button
            type="button"
            className="dsp-att-step dsp-att-step-next"
            onClick={() => props.onStep(1)}
            aria-label="Next"
          >
            ›
          </button>
        ) : null}
      </div>

      <dl className="dsp-att-facts">
        <dt>{item.kind === 'signature' ? 'Signed' : item.kind === 'photo' ? 'Taken' : 'Added'}</dt>
        <dd>{formatDateTime(item.takenAt, clock)}</dd>
        {item.kind === 'signature' ? (
          <>
            <dt>Signer</dt>
            <dd>{item.signerName ?? '—'}</dd>
          </>
        ) : null}
        <dt>By</dt>
        <dd>{userName(item.createdBy)}</dd>
        <dt>File</dt>
        <dd>
          {item.fileName} · {formatBytes(item.byteSize)}
          {item.uploadedAt === null ? ' · uploading from the phone' : ''}
        </dd>
        {item.caption && item.kind !== 'photo' ? (
          <>
            <dt>Caption</dt>
            <dd>{item.caption}</dd>
          </>
        ) : null}
      </dl>

      <div className="dsp-att-remove">
        {confirming ? (
          <>
            <span>Remove this {noun} from the job? The contractor will not see it any more.</span>
            <button type="button" className="dsp-button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
            <button
              type="button"
              className="dsp-button dsp-button-danger"
              disabled={remove.busy}
              onClick={() =>
                void remove
                  .run(() => client.mutate('attachment.remove', { id: item.id }))
                  .then((ok) => (ok ? props.onClose() : undefined))
              }
            >
              Remove {noun}
            </button>
          </>
        ) : (
          <button type="button" className="dsp-link-button" onClick={() => setConfirming(true)}>
            Remove…
          </button>
        )}
      </div>
      {remove.error ? (
        <p className="dsp-notice dsp-notice-error" role="alert">
          {remove.error}
        </p>
      ) : null}
    </div>
  );
}
