import { DEFAULT_MAX_UPLOAD_BYTES, TEXT_LIMITS } from '@fieldsync/domain';
import { type ChangeEvent, type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { compareInstants, formatDateTime } from '../shell/format';
import { type PreparedFile, prepareDocument, preparePhoto, UnusableFileError } from '../shell/prepare-photo';
import { Sheet } from '../shell/Sheet';
import { useAction } from '../shell/use-action';
import { useAttachmentUrl } from '../shell/use-attachment-url';
import { useOrganization } from '../shell/use-organization';
import {
  ATTACHMENT_KIND_LABEL,
  formatBytes,
  pickedFileProblem,
  type UploadFacts,
  uploadStatus,
  uploadSummary,
} from './attachment-words';
import './attachments.css';

type LocalAttachment = LocalRow<'attachments'>;
/** This phone's copy of a file's bytes, as far as the screen needs it. */
type LocalFile = UploadFacts['local'];

/** A file picked and waiting for its caption: being prepared (scaled, read), ready, or not readable. */
type Draft = {
  kind: 'photo' | 'document';
  original: File;
  prepared: PreparedFile | null;
  previewUrl: string | null;
  problem: string | null;
};

/** Photos and PDFs of one job, with this phone's live upload state. Signatures have their own section. */
export function useJobFiles(jobId: string) {
  const { db } = useFieldsync();
  const attachments = useLiveQuery(
    async () =>
      (await db.attachments.where('jobId').equals(jobId).toArray())
        .filter((row) => row.deletedAt === null)
        .sort((a, b) => compareInstants(a.takenAt, b.takenAt) || a.id.localeCompare(b.id)),
    [jobId],
  );
  const files = useLiveQuery(() => db.attachmentFiles.where('jobId').equals(jobId).toArray(), [jobId]);
  const filesById = useMemo(() => new Map((files ?? []).map((file) => [file.id, file])), [files]);
  return { attachments, files: files ?? [], filesById };
}

/**
 * Photos and documents on the job: take or pick a photo, add a PDF, each
 * with an optional caption; every file shows where its upload stands. The
 * file inputs are real `<input type="file">` elements styled as buttons, so
 * they work from the keyboard and with a test's `setInputFiles`.
 */
export function PhotosSection({ jobId, canEdit }: { jobId: string; canEdit: boolean }) {
  const client = useFieldsync();
  const { online, session } = useSyncState();
  const { attachments, files, filesById } = useJobFiles(jobId);
  const shown = attachments?.filter((row) => row.kind !== 'signature');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [pickProblem, setPickProblem] = useState<string | null>(null);
  const [caption, setCaption] = useState('');
  const [viewing, setViewing] = useState<string | null>(null);
  const save = useAction();
  const id = useId();

  // The preview's object URL lives as long as the draft.
  useEffect(() => () => (draft?.previewUrl ? URL.revokeObjectURL(draft.previewUrl) : undefined), [draft?.previewUrl]);

  async function pick(event: ChangeEvent<HTMLInputElement>, kind: 'photo' | 'document') {
    const input = event.currentTarget;
    const original = input.files?.[0];
    // Cleared at once, so picking the same file again still fires a change.
    input.value = '';
    if (!original) return;
    const problem = pickedFileProblem(original, kind, DEFAULT_MAX_UPLOAD_BYTES);
    setPickProblem(problem);
    if (problem) return;
    save.clearError();
    setCaption('');
    setDraft({ kind, original, prepared: null, previewUrl: null, problem: null });
    try {
      const prepared = kind === 'photo' ? await preparePhoto(original) : await prepareDocument(original);
      if (prepared.blob.size > DEFAULT_MAX_UPLOAD_BYTES) {
        throw new TooLarge(prepared.blob.size);
      }
      const previewUrl = kind === 'photo' ? URL.createObjectURL(prepared.blob) : null;
      setDraft((current) =>
        current?.original === original ? { ...current, prepared, previewUrl, problem: null } : current,
      );
    } catch (caught) {
      const problem =
        caught instanceof TooLarge
          ? `This file is ${formatBytes(caught.bytes)}; files may be at most ${formatBytes(DEFAULT_MAX_UPLOAD_BYTES)}.`
          : caught instanceof UnusableFileError
            ? caught.message
            : kind === 'photo'
              ? 'This photo could not be read on this phone. Try taking it again, or pick another one.'
              : 'This PDF could not be read on this phone. Pick it again, or another file.';
      setDraft((current) => (current?.original === original ? { ...current, problem } : current));
    }
  }

  async function saveDraft(event: FormEvent) {
    event.preventDefault();
    const prepared = draft?.prepared;
    if (!draft || !prepared) return;
    const text = caption.trim();
    const ok = await save.run(() =>
      client.addAttachment({
        jobId,
        kind: draft.kind,
        blob: prepared.blob,
        fileName: prepared.fileName,
        contentType: prepared.contentType,
        takenAt: prepared.takenAt,
        ...(text ? { caption: text } : {}),
      }),
    );
    if (ok) setDraft(null);
  }

  const summary = uploadSummary(files, online);
  const viewed = shown?.find((row) => row.id === viewing) ?? null;
  const photoCount = shown?.filter((row) => row.kind === 'photo').length ?? 0;
  const documentCount = (shown?.length ?? 0) - photoCount;

  return (
    <section className="ct-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        Photos &amp; documents
        {shown?.length ? (
          <span className="ct-files__count">
            {' '}
            · {photoCount === 1 ? '1 photo' : `${photoCount} photos`}
            {documentCount ? `, ${documentCount === 1 ? '1 PDF' : `${documentCount} PDFs`}` : ''}
          </span>
        ) : null}
      </h2>
      {/* Not a live region: it changes with every chunk sent and would talk over everything else. */}
      <p className="ct-files__summary">{summary ?? ''}</p>

      {canEdit ? (
        <div className="ct-files__add">
          <label className="fs-button fs-button--primary ct-file-button">
            <input
              type="file"
              className="ct-file-button__input"
              accept="image/*"
              capture="environment"
              onChange={(event) => void pick(event, 'photo')}
            />
            Take photo
          </label>
          <label className="fs-button fs-button--secondary ct-file-button">
            <input
              type="file"
              className="ct-file-button__input"
              accept="image/jpeg,image/png,image/webp,image/*"
              onChange={(event) => void pick(event, 'photo')}
            />
            Add from library
          </label>
          <label className="fs-button fs-button--secondary ct-file-button">
            <input
              type="file"
              className="ct-file-button__input"
              accept="application/pdf,.pdf"
              onChange={(event) => void pick(event, 'document')}
            />
            Add PDF
          </label>
        </div>
      ) : null}
      {pickProblem ? (
        <p className="fs-error" role="alert">
          {pickProblem}
        </p>
      ) : null}

      {shown === undefined ? (
        <p className="fs-muted" aria-busy="true">
          Loading photos…
        </p>
      ) : shown.length === 0 ? (
        <p className="fs-muted">
          {canEdit
            ? 'No photos or documents yet. Photos of the work help the office and the customer.'
            : 'No photos or documents.'}
        </p>
      ) : (
        <ul className="ct-files" aria-label="Photos and documents on this job">
          {shown.map((row) => (
            <FileTile
              key={row.id}
              row={row}
              file={filesById.get(row.id)}
              online={online}
              onOpen={() => setViewing(row.id)}
            />
          ))}
        </ul>
      )}

      <Sheet
        open={draft !== null}
        onClose={() => setDraft(null)}
        title={draft?.kind === 'document' ? 'Add this PDF' : 'Add this photo'}
      >
        {draft ? (
          <form className="fs-form ct-draft" noValidate onSubmit={(event) => void saveDraft(event)}>
            {draft.kind === 'photo' ? (
              draft.previewUrl ? (
                <img className="ct-draft__preview" src={draft.previewUrl} alt="Picked to add to the job" />
              ) : (
                <div className="ct-draft__preview ct-draft__preview--waiting" aria-busy={!draft.problem}>
                  {draft.problem ? '' : 'Preparing the photo…'}
                </div>
              )
            ) : (
              <p className="ct-draft__document">
                <DocumentGlyph />
                <span>
                  <strong>{draft.original.name}</strong>
                  <span className="fs-muted"> · {formatBytes(draft.original.size)}</span>
                </span>
              </p>
            )}
            {draft.problem ? (
              <p className="fs-error" role="alert">
                {draft.problem}
              </p>
            ) : (
              <>
                <label className="fs-field" htmlFor={`${id}-caption`}>
                  <span>
                    Caption <span className="fs-muted">(optional)</span>
                  </span>
                </label>
                <textarea
                  id={`${id}-caption`}
                  className="fs-input"
                  rows={2}
                  maxLength={TEXT_LIMITS.reason}
                  placeholder={draft.kind === 'photo' ? 'What does it show? e.g. “Leak under the sink, before”' : ''}
                  value={caption}
                  onChange={(event) => setCaption(event.target.value)}
                />
              </>
            )}
            {save.error ? (
              <p className="fs-error" role="alert">
                {save.error}
              </p>
            ) : null}
            <div className="ct-draft__actions">
              <button type="button" className="fs-button fs-button--secondary" onClick={() => setDraft(null)}>
                Cancel
              </button>
              <button
                type="submit"
                className="fs-button fs-button--primary"
                disabled={save.busy || !draft.prepared || draft.problem !== null}
              >
                {draft.kind === 'photo' ? 'Save photo' : 'Save PDF'}
              </button>
            </div>
            <p className="fs-muted ct-draft__note">
              {online ? 'It uploads in the background.' : 'Saved on this phone; it uploads when you are back online.'}
            </p>
          </form>
        ) : null}
      </Sheet>

      <Sheet
        open={viewed !== null}
        onClose={() => setViewing(null)}
        title={viewed ? (viewed.caption ?? ATTACHMENT_KIND_LABEL[viewed.kind]) : 'Photo'}
      >
        {viewed ? (
          <FileViewer
            row={viewed}
            file={filesById.get(viewed.id)}
            online={online}
            canRemove={canEdit && viewed.createdBy !== null && viewed.createdBy === session?.user.id}
            onRemoved={() => setViewing(null)}
          />
        ) : null}
      </Sheet>
    </section>
  );
}

class TooLarge extends Error {
  constructor(readonly bytes: number) {
    super('too large');
  }
}

/** One photo or PDF in the grid: its thumbnail (a button that opens it), caption and upload state. */
function FileTile(props: { row: LocalAttachment; file: LocalFile; online: boolean; onOpen: () => void }) {
  const { row, file } = props;
  const status = uploadStatus({ uploadedAt: row.uploadedAt, byteSize: row.byteSize, local: file }, props.online);
  const name = row.caption ?? (row.kind === 'document' ? row.fileName : 'Photo');
  return (
    <li className="ct-file">
      <button
        type="button"
        className="ct-file__open"
        onClick={props.onOpen}
        aria-label={`Open ${row.kind === 'document' ? 'document' : 'photo'}: ${name}`}
      >
        {row.kind === 'document' ? (
          <span className="ct-file__doc">
            <DocumentGlyph />
            <span className="ct-file__doc-name">{row.fileName}</span>
          </span>
        ) : (
          <Thumbnail attachmentId={row.id} />
        )}
      </button>
      <p className={`ct-file__state ct-file__state--${status.tone}`}>{status.text}</p>
      {row.caption ? <p className="ct-file__caption">{row.caption}</p> : null}
    </li>
  );
}

/** A photo's small preview, from this phone's copy or the server; a plain word when there is none. */
function Thumbnail({ attachmentId }: { attachmentId: string }) {
  const { url, state } = useAttachmentUrl(attachmentId, 'thumbnail');
  if (url) return <img className="ct-file__img" src={url} alt="" loading="lazy" decoding="async" />;
  return (
    <span className="ct-file__placeholder" aria-busy={state === 'loading'}>
      {state === 'loading' ? 'Loading…' : state === 'offline' ? 'Shows when online' : 'No preview'}
    </span>
  );
}

/** The full-size photo (or the PDF to open), its caption, when it was taken, and "Remove" for its author. */
function FileViewer(props: {
  row: LocalAttachment;
  file: LocalFile;
  online: boolean;
  canRemove: boolean;
  onRemoved: () => void;
}) {
  const { row } = props;
  const client = useFieldsync();
  const clock = useOrganization();
  const { url, state } = useAttachmentUrl(row.id, 'full');
  const remove = useAction();
  const [confirming, setConfirming] = useState(false);
  const status = uploadStatus({ uploadedAt: row.uploadedAt, byteSize: row.byteSize, local: props.file }, props.online);
  const noun = row.kind === 'document' ? 'document' : 'photo';

  return (
    <div className="ct-viewer">
      {row.kind === 'document' ? (
        <p className="ct-draft__document">
          <DocumentGlyph />
          <span>
            <strong>{row.fileName}</strong>
            <span className="fs-muted"> · {formatBytes(row.byteSize)}</span>
          </span>
        </p>
      ) : url ? (
        <img className="ct-viewer__img" src={url} alt={row.caption ?? 'Photo of the job'} />
      ) : (
        <div className="ct-viewer__placeholder" aria-busy={state === 'loading'}>
          {state === 'loading'
            ? 'Loading the photo…'
            : state === 'offline'
              ? 'This photo is not on this phone. It shows when you are back online.'
              : 'This photo is not available yet.'}
        </div>
      )}
      {row.kind === 'document' && url ? (
        <a className="fs-button fs-button--secondary fs-button--block" href={url} target="_blank" rel="noreferrer">
          Open PDF
        </a>
      ) : row.kind === 'document' && state === 'offline' ? (
        <p className="fs-muted">This PDF is not on this phone. It opens when you are back online.</p>
      ) : null}
      <p className="fs-muted">
        {row.kind === 'photo' ? 'Taken' : 'Added'} {formatDateTime(row.takenAt, clock)} ·{' '}
        <span className={`ct-file__state--${status.tone}`}>{status.text}</span>
      </p>
      {props.canRemove ? (
        confirming ? (
          <div className="ct-viewer__confirm" role="alert">
            <p>Remove this {noun}? The office will not see it any more.</p>
            <div className="ct-draft__actions">
              <button type="button" className="fs-button fs-button--secondary" onClick={() => setConfirming(false)}>
                Keep it
              </button>
              <button
                type="button"
                className="fs-button fs-button--danger"
                disabled={remove.busy}
                onClick={() =>
                  void remove
                    .run(() => client.mutate('attachment.remove', { id: row.id }))
                    .then((ok) => (ok ? props.onRemoved() : undefined))
                }
              >
                Remove {noun}
              </button>
            </div>
          </div>
        ) : (
          <button
            type="button"
            className="fs-button fs-button--ghost ct-viewer__remove"
            onClick={() => setConfirming(true)}
          >
            Remove…
          </button>
        )
      ) : null}
      {remove.error ? (
        <p className="fs-error" role="alert">
          {remove.error}
        </p>
      ) : null}
    </div>
  );
}

/** A page with a folded corner: a PDF. Decorative. */
export function DocumentGlyph() {
  return (
    <svg className="ct-doc-glyph" width="28" height="34" viewBox="0 0 28 34" aria-hidden="true" focusable="false">
      <path d="M2 2h16l8 8v22H2z" fill="#fff" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
      <path d="M18 2v8h8" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
      <text x="14" y="26" textAnchor="middle" fontSize="8" fontWeight="700" fill="currentColor">
        PDF
      </text>
    </svg>
  );
}
