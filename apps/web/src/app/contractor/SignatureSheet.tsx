import { TEXT_LIMITS } from '@fieldsync/domain';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type SignaturePad from 'signature_pad';
import { useFieldsync } from '../../sync/react';
import { useModalDialog } from '../shell/Sheet';
import { useAction } from '../shell/use-action';
import type { LocalCustomer, LocalJob } from './use-contractor-data';
import './attachments.css';

/**
 * "Get signature": a full-screen sheet with the job summary on top, a pad
 * to sign on with a finger, stylus or mouse, and the signer's printed name.
 * Saved as a PNG `signature` attachment that uploads like a photo. The pad
 * library loads only when the sheet first opens, keeping it out of the
 * phone's first download.
 */
export function SignatureSheet(props: {
  open: boolean;
  onClose: () => void;
  job: LocalJob;
  customer: LocalCustomer | undefined;
  address: string | null;
  /** What the customer signs for, ending "The customer signs … ". Default: to confirm the work was done. */
  purpose?: string;
  /** Kept with the signature, e.g. which estimate it accepts. */
  caption?: string;
  /** Called with the new attachment's id once the signature is stored, before the sheet closes. */
  onSaved?: (attachmentId: string) => void;
}) {
  const { open, onClose } = props;
  const titleId = useId();

  const dialog = useModalDialog(open);

  return (
    <dialog ref={dialog} className="ct-sign" aria-labelledby={titleId} onClose={onClose}>
      {open ? <SignatureForm {...props} titleId={titleId} /> : null}
    </dialog>
  );
}

function SignatureForm(props: {
  onClose: () => void;
  job: LocalJob;
  customer: LocalCustomer | undefined;
  address: string | null;
  purpose?: string;
  caption?: string;
  onSaved?: (attachmentId: string) => void;
  titleId: string;
}) {
  const { job } = props;
  const client = useFieldsync();
  const { run, error, busy } = useAction();
  const frame = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  const [padState, setPadState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [signed, setSigned] = useState(false);
  const [signerName, setSignerName] = useState('');
  const [problems, setProblems] = useState<{ pad?: string; name?: string }>({});
  const id = useId();

  useEffect(() => {
    let cancelled = false;
    let observer: ResizeObserver | null = null;
    const element = canvas.current;
    const box = frame.current;
    if (!element || !box) return;

    // The canvas is drawn at the screen's pixel density so the signature is sharp, and sized again
    // when the phone turns; the strokes are kept in CSS pixels and redrawn at the new size.
    const fit = () => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      // Inside the frame's border: the canvas fills its padding box.
      const width = box.clientWidth;
      const height = box.clientHeight;
      if (width === 0 || height === 0) return;
      const strokes = pad.current?.toData() ?? [];
      element.width = Math.round(width * ratio);
      element.height = Math.round(height * ratio);
      element.style.width = `${width}px`;
      element.style.height = `${height}px`;
      element.getContext('2d')?.scale(ratio, ratio);
      pad.current?.clear();
      if (strokes.length) pad.current?.fromData(strokes);
    };

    import('signature_pad')
      .then(({ default: Pad }) => {
        if (cancelled) return;
        pad.current = new Pad(element, {
          penColor: '#0b1f26',
          backgroundColor: 'rgb(255, 255, 255)',
          minWidth: 1,
          maxWidth: 3,
        });
        pad.current.addEventListener('endStroke', () => {
          setSigned(true);
          setProblems((current) => ({ ...current, pad: undefined }));
        });
        fit();
        observer = new ResizeObserver(fit);
        observer.observe(box);
        setPadState('ready');
      })
      .catch(() => {
        if (!cancelled) setPadState('failed');
      });
    return () => {
      cancelled = true;
      observer?.disconnect();
      pad.current?.off();
      pad.current = null;
    };
  }, []);

  function clear() {
    pad.current?.clear();
    setSigned(false);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const name = signerName.trim();
    const found = {
      ...(pad.current && !pad.current.isEmpty() ? {} : { pad: 'Ask the customer to sign in the box first.' }),
      ...(name ? {} : { name: 'Write the name of the person signing.' }),
    };
    setProblems(found);
    if (found.pad || found.name || !canvas.current) return;
    const blob = await canvasToPng(canvas.current);
    if (!blob) {
      setProblems({ pad: 'The signature could not be saved on this phone. Try again.' });
      return;
    }
    const ok = await run(async () => {
      const saved = await client.addAttachment({
        jobId: job.id,
        kind: 'signature',
        blob,
        fileName: `signature-${safeFilePart(job.jobNumber ?? job.id)}.png`,
        contentType: 'image/png',
        takenAt: new Date().toISOString(),
        signerName: name,
        ...(props.caption ? { caption: props.caption } : {}),
      });
      props.onSaved?.(saved.id);
    });
    if (ok) props.onClose();
  }

  return (
    <form className="ct-sign__panel" noValidate onSubmit={(event) => void save(event)}>
      <div className="ct-sign__head">
        <h2 id={props.titleId}>Customer signature</h2>
        <button type="button" className="fs-button fs-button--ghost" onClick={props.onClose}>
          Cancel
        </button>
      </div>

      <div className="ct-sign__job">
        <p className="ct-sign__job-title">{job.title}</p>
        <p className="fs-muted">
          {job.jobNumber ?? 'Job number on sync'}
          {props.customer?.name ? ` · ${props.customer.name}` : ''}
        </p>
        {props.address ? <p className="fs-muted">{props.address}</p> : null}
      </div>

      <p id={`${id}-how`} className="ct-sign__how">
        The customer signs in the box below with a finger or stylus, {props.purpose ?? 'to confirm the work was done'}.
      </p>
      <div ref={frame} className={`ct-sign__pad${problems.pad ? ' ct-sign__pad--problem' : ''}`} data-state={padState}>
        <canvas
          ref={canvas}
          className="ct-sign__canvas"
          role="img"
          aria-label={signed ? 'Signature pad, signed' : 'Signature pad, empty'}
          aria-describedby={`${id}-how`}
          data-testid="signature-pad"
        />
        {padState !== 'ready' ? (
          <p className="ct-sign__pad-note">
            {padState === 'loading'
              ? 'Getting the pad ready…'
              : 'The signature pad could not load. Close and try again.'}
          </p>
        ) : null}
        <span className="ct-sign__line" aria-hidden="true">
          Sign above the line
        </span>
      </div>
      <div className="ct-sign__pad-actions">
        {problems.pad ? (
          <p className="fs-error" role="alert">
            {problems.pad}
          </p>
        ) : (
          <span />
        )}
        <button
          type="button"
          className="fs-button fs-button--secondary fs-button--small"
          onClick={clear}
          disabled={!signed}
        >
          Clear
        </button>
      </div>

      <label className="fs-field" htmlFor={`${id}-name`}>
        <span>Signer’s printed name</span>
        <input
          id={`${id}-name`}
          className="fs-input"
          autoComplete="off"
          autoCapitalize="words"
          maxLength={TEXT_LIMITS.name}
          required
          aria-invalid={problems.name ? true : undefined}
          aria-describedby={problems.name ? `${id}-name-problem` : undefined}
          value={signerName}
          onChange={(event) => {
            setSignerName(event.target.value);
            if (event.target.value.trim()) setProblems((current) => ({ ...current, name: undefined }));
          }}
        />
      </label>
      {problems.name ? (
        <p id={`${id}-name-problem`} className="fs-error">
          {problems.name}
        </p>
      ) : null}
      {error ? (
        <p className="fs-error" role="alert">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        className="fs-button fs-button--primary fs-button--block"
        disabled={busy || padState !== 'ready'}
      >
        Save signature
      </button>
    </form>
  );
}

/** The canvas as a PNG file; null when the browser cannot encode it. */
function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

/** A job number as a safe file-name part (it already is one; a local id is too). */
function safeFilePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-');
}
