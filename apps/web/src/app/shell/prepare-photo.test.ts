import { expect, test } from 'vitest';
import { prepareDocument, preparePhoto, UnusableFileError } from './prepare-photo';

const LAST_MODIFIED = Date.parse('2026-11-20T16:30:00Z');

test('a PDF is kept as it is, dated by the file', async () => {
  const file = new File(['%PDF-1.7\n%%EOF\n'], 'quote.pdf', { type: 'application/pdf', lastModified: LAST_MODIFIED });
  const prepared = await prepareDocument(file);
  expect(prepared).toMatchObject({
    fileName: 'quote.pdf',
    contentType: 'application/pdf',
    takenAt: '2026-11-20T16:30:00.000Z',
  });
  expect(await prepared.blob.text()).toBe('%PDF-1.7\n%%EOF\n');
  // Some pickers give no type: the name decides.
  const untyped = new File(['%PDF-1.7'], 'Scan.PDF', { lastModified: LAST_MODIFIED });
  expect((await prepareDocument(untyped)).contentType).toBe('application/pdf');
});

test('other documents and non-images are refused in plain words', async () => {
  const word = new File(['x'], 'quote.docx', {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  });
  await expect(prepareDocument(word)).rejects.toBeInstanceOf(UnusableFileError);
  await expect(prepareDocument(word)).rejects.toThrow('Only PDF documents can be added');
  const pdfAsPhoto = new File(['%PDF-1.7'], 'quote.pdf', { type: 'application/pdf' });
  await expect(preparePhoto(pdfAsPhoto)).rejects.toThrow('This is not a photo');
});
