import { THUMBNAIL_SIDE_PX } from '@fieldsync/domain';

/** The SHA-256 of a file as 64 lower-case hex characters (what `attachment.add` carries). */
export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const PREVIEW_QUALITY = 0.7;

/**
 * A small JPEG (at most `THUMBNAIL_SIDE_PX` on the longer side) to show while
 * the full file is elsewhere. Null where the browser cannot draw off screen
 * (Node, older Safari), for PDFs, or when the image cannot be read: a missing
 * preview only means the screen downloads the server's thumbnail instead.
 */
export async function makePreview(blob: Blob, contentType: string): Promise<Blob | null> {
  if (!contentType.startsWith('image/')) return null;
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') return null;
  try {
    const bitmap = await createImageBitmap(blob);
    try {
      const scale = Math.min(1, THUMBNAIL_SIDE_PX / Math.max(bitmap.width, bitmap.height));
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d');
      if (!context) return null;
      // JPEG has no transparency: a signature on a transparent PNG needs a white sheet under it.
      context.fillStyle = '#fff';
      context.fillRect(0, 0, width, height);
      context.drawImage(bitmap, 0, 0, width, height);
      return await canvas.convertToBlob({ type: 'image/jpeg', quality: PREVIEW_QUALITY });
    } finally {
      bitmap.close();
    }
  } catch {
    return null;
  }
}
