import { type AttachmentContentType, MAX_PHOTO_SIDE_PX } from '@fieldsync/domain';

/** A picked file made ready for `client.addAttachment`. */
export interface PreparedFile {
  blob: Blob;
  fileName: string;
  contentType: AttachmentContentType;
  /** When the photo was taken (ISO). */
  takenAt: string;
}

const KEPT_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp']);
/** Quality of a scaled-down photo: sharp enough to read a serial plate, about 1 MB at 2048 px. */
const PHOTO_QUALITY = 0.85;

/** Why a picked file cannot be added, in plain words (`message`). */
export class UnusableFileError extends Error {
  override readonly name = 'UnusableFileError';
}

/**
 * Makes a photo ready to store: scaled down to at most `MAX_PHOTO_SIDE_PX`
 * on its longer side (never up; a photo already that small is kept as it
 * is), as a JPEG when it had to be redrawn, and dated by its EXIF
 * `DateTimeOriginal` — else the file's own date, else now. The scaling
 * library and the EXIF reader load only here, on first use. Throws
 * `UnusableFileError` when the file is not an image this phone can read.
 */
export async function preparePhoto(file: File): Promise<PreparedFile> {
  if (!file.type.startsWith('image/')) {
    throw new UnusableFileError('This is not a photo. Choose a JPEG, PNG or WebP image.');
  }
  const takenAt = await photoTakenAt(file);
  const size = await imageSize(file);
  const small = size !== null && Math.max(size.width, size.height) <= MAX_PHOTO_SIDE_PX;
  if (small && KEPT_IMAGE_TYPES.has(file.type)) {
    const contentType = file.type as AttachmentContentType;
    return { blob: file, fileName: nameOr(file.name, 'photo', 'jpg'), contentType, takenAt };
  }
  let scaled: Blob;
  try {
    const { default: imageCompression } = await import('browser-image-compression');
    scaled = await imageCompression(file, {
      maxWidthOrHeight: MAX_PHOTO_SIDE_PX,
      fileType: 'image/jpeg',
      initialQuality: PHOTO_QUALITY,
      // The worker would load the library again from a CDN: no good without signal.
      useWebWorker: false,
    });
  } catch {
    throw new UnusableFileError('This photo could not be read on this phone. Try taking it again.');
  }
  const fileName = withExtension(nameOr(file.name, 'photo', 'jpg'), 'jpg');
  return { blob: scaled, fileName, contentType: 'image/jpeg', takenAt };
}

/**
 * Makes a PDF ready to store as it is, dated by the file's own date (else
 * now). Throws `UnusableFileError` for any other kind of file.
 */
export async function prepareDocument(file: File): Promise<PreparedFile> {
  const isPdf = file.type === 'application/pdf' || (file.type === '' && /\.pdf$/i.test(file.name));
  if (!isPdf) throw new UnusableFileError('Only PDF documents can be added. Save the document as a PDF first.');
  return {
    blob: file.type === 'application/pdf' ? file : new Blob([file], { type: 'application/pdf' }),
    fileName: nameOr(file.name, 'document', 'pdf'),
    contentType: 'application/pdf',
    takenAt: fileDate(file),
  };
}

/** EXIF `DateTimeOriginal` when the photo has one (the camera's clock), else the file's date. */
async function photoTakenAt(file: File): Promise<string> {
  try {
    const exifr = await import('exifr');
    const tags = (await exifr.parse(file, ['DateTimeOriginal'])) as { DateTimeOriginal?: unknown } | undefined;
    const taken = tags?.DateTimeOriginal;
    if (taken instanceof Date && Number.isFinite(taken.getTime())) return taken.toISOString();
  } catch {
    // No EXIF (a screenshot, a PNG) or unreadable: fall back to the file's date.
  }
  return fileDate(file);
}

function fileDate(file: File): string {
  return file.lastModified > 0 ? new Date(file.lastModified).toISOString() : new Date().toISOString();
}

/** Width and height, or null where the browser cannot tell without drawing (then it is scaled to be safe). */
async function imageSize(file: Blob): Promise<{ width: number; height: number } | null> {
  if (typeof createImageBitmap !== 'function') return null;
  try {
    const bitmap = await createImageBitmap(file);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return null;
  }
}

/** The picked file's name, or a dated one when it has none (a camera capture may not). */
function nameOr(name: string, base: string, extension: string): string {
  const trimmed = name.trim();
  return trimmed.length > 0 ? trimmed : `${base}-${new Date().toISOString().slice(0, 10)}.${extension}`;
}

function withExtension(name: string, extension: string): string {
  return `${name.replace(/\.[^./\\]{1,5}$/, '')}.${extension}`;
}
