import { useEffect, useRef, useState } from 'react';
import { HttpError, NetworkError } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';

export type AttachmentUrlState = 'loading' | 'ready' | 'offline' | 'missing';

/**
 * An object URL for an attachment's image or file: this phone's own copy
 * first (the full file, or for a thumbnail the preview made when it was
 * added), else a download from the server when online. `offline` when
 * neither is possible now; `missing` when the server has no bytes for it
 * (not uploaded yet from the other device) or it is out of reach. Object
 * URLs are revoked when the file changes and on unmount.
 */
export function useAttachmentUrl(
  attachmentId: string,
  variant: 'full' | 'thumbnail',
): { url: string | null; state: AttachmentUrlState } {
  const client = useFieldsync();
  const { online } = useSyncState();
  const local = useLiveQuery(async () => {
    const file = await client.db.attachmentFiles.get(attachmentId);
    if (!file) return { blob: null };
    return { blob: variant === 'full' ? file.blob : (file.preview ?? file.blob) };
  }, [client, attachmentId, variant]);
  // The row changes as its upload goes on; only a different blob should make a new URL.
  const blobRef = useRef<Blob | null>(null);
  blobRef.current = local?.blob ?? null;
  const localKey = local === undefined ? 'reading' : local.blob ? `${local.blob.size}:${local.blob.type}` : 'none';
  const [result, setResult] = useState<{ url: string | null; state: AttachmentUrlState }>({
    url: null,
    state: 'loading',
  });

  // Without a local copy the download is tried again when the phone comes back online.
  const wantsNetwork = localKey === 'none';
  const onlineKey = wantsNetwork ? online : null;

  useEffect(() => {
    if (localKey === 'reading') return;
    let url: string | null = null;
    let cancelled = false;
    const show = (blob: Blob) => {
      url = URL.createObjectURL(blob);
      setResult({ url, state: 'ready' });
    };
    const blob = blobRef.current;
    if (blob) {
      show(blob);
    } else if (onlineKey === false) {
      setResult({ url: null, state: 'offline' });
    } else {
      setResult({ url: null, state: 'loading' });
      client.fetchAttachment(attachmentId, variant).then(
        (downloaded) => {
          if (!cancelled) show(downloaded);
        },
        (error: unknown) => {
          if (cancelled) return;
          if (error instanceof NetworkError) setResult({ url: null, state: 'offline' });
          else if (error instanceof HttpError || error instanceof Error) setResult({ url: null, state: 'missing' });
        },
      );
    }
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [client, attachmentId, variant, localKey, onlineKey]);

  return result;
}
