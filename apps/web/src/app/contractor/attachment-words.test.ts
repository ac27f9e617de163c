import { describe, expect, test } from 'vitest';
import {
  attachmentActivityText,
  formatBytes,
  pickedFileProblem,
  uploadPercent,
  uploadStatus,
  uploadSummary,
} from './attachment-words';

const MB = 1_048_576;

describe('uploadStatus', () => {
  test('a file the server holds reads as uploaded, with or without a local copy', () => {
    expect(uploadStatus({ uploadedAt: '2026-11-30T10:00:00.000Z', byteSize: MB }, true)).toEqual({
      text: 'Uploaded',
      tone: 'done',
    });
    expect(
      uploadStatus(
        { uploadedAt: null, byteSize: MB, local: { uploadState: 'uploaded', uploadedBytes: MB, error: null } },
        true,
      ).text,
    ).toBe('Uploaded');
  });

  test('an upload under way shows its percentage, never 100 before the server confirms', () => {
    const facts = (uploadedBytes: number) => ({
      uploadedAt: null,
      byteSize: 4 * MB,
      local: { uploadState: 'uploading' as const, uploadedBytes, error: null },
    });
    expect(uploadStatus(facts(MB), true)).toEqual({ text: 'Uploading 25%', tone: 'busy' });
    expect(uploadStatus(facts(4 * MB), true).text).toBe('Uploading 99%');
  });

  test('a waiting file says whether it waits for a connection', () => {
    const facts = {
      uploadedAt: null,
      byteSize: MB,
      local: { uploadState: 'waiting' as const, uploadedBytes: 0, error: null },
    };
    expect(uploadStatus(facts, true).text).toBe('Waiting to upload');
    expect(uploadStatus(facts, false).text).toBe('Uploads when back online');
  });

  test('a refused file gives the reason', () => {
    const status = uploadStatus(
      {
        uploadedAt: null,
        byteSize: MB,
        local: { uploadState: 'failed', uploadedBytes: 0, error: 'The file changed on the way; take it again.' },
      },
      true,
    );
    expect(status).toEqual({ text: 'Not uploaded: The file changed on the way; take it again.', tone: 'failed' });
  });

  test('a file from another device that is not complete yet says so', () => {
    expect(uploadStatus({ uploadedAt: null, byteSize: MB }, true).text).toBe('Uploading from another device');
  });
});

test('uploadPercent stays within 0–99 and survives an empty file', () => {
  expect(uploadPercent(0, 0)).toBe(0);
  expect(uploadPercent(-5, 100)).toBe(0);
  expect(uploadPercent(50, 100)).toBe(50);
  expect(uploadPercent(150, 100)).toBe(99);
});

test('formatBytes uses MB above a megabyte and whole KB below', () => {
  expect(formatBytes(2.15 * MB)).toBe('2.1 MB');
  expect(formatBytes(340 * 1024)).toBe('340 KB');
  expect(formatBytes(10)).toBe('1 KB');
});

describe('uploadSummary', () => {
  test('counts only files still to send, with bytes sent of the total', () => {
    const summary = uploadSummary(
      [
        { uploadState: 'uploading', uploadedBytes: 1.1 * MB, byteSize: 2 * MB },
        { uploadState: 'waiting', uploadedBytes: 0, byteSize: 1.4 * MB },
        { uploadState: 'waiting', uploadedBytes: 0, byteSize: 2 * MB },
        { uploadState: 'uploaded', uploadedBytes: 9 * MB, byteSize: 9 * MB },
        { uploadState: 'failed', uploadedBytes: 0, byteSize: 9 * MB },
      ],
      true,
    );
    expect(summary).toBe('3 files uploading, 1.1 of 5.4 MB');
  });

  test('offline it says the files wait for a connection', () => {
    expect(uploadSummary([{ uploadState: 'waiting', uploadedBytes: 0, byteSize: 300 * 1024 }], false)).toBe(
      '1 file (300 KB) will upload when this phone is back online.',
    );
  });

  test('nothing to send is nothing to say', () => {
    expect(uploadSummary([], true)).toBeNull();
    expect(uploadSummary([{ uploadState: 'uploaded', uploadedBytes: 1, byteSize: 1 }], true)).toBeNull();
  });
});

describe('attachmentActivityText', () => {
  test('a signature names its signer', () => {
    expect(attachmentActivityText('attachment.signed', { kind: 'signature', signerName: ' Dana Smith ' })).toBe(
      'Signed by Dana Smith',
    );
    expect(attachmentActivityText('attachment.signed', { kind: 'signature' })).toBe('Customer signature added');
  });

  test('photos and documents added or removed', () => {
    expect(attachmentActivityText('attachment.added', { kind: 'photo', fileName: 'IMG_1.jpg' })).toBe('Photo added');
    expect(attachmentActivityText('attachment.added', { kind: 'document', fileName: 'invoice.pdf' })).toBe(
      'Document added: invoice.pdf',
    );
    expect(attachmentActivityText('attachment.removed', { kind: 'photo', fileName: 'IMG_1.jpg' })).toBe(
      'Photo removed',
    );
    expect(attachmentActivityText('attachment.removed', { kind: 'signature' })).toBe('Signature removed');
  });

  test('other actions and odd details', () => {
    expect(attachmentActivityText('note.added', {})).toBeNull();
    expect(attachmentActivityText('attachment.added', null)).toBe('Photo added');
  });
});

describe('pickedFileProblem', () => {
  const limit = 25 * MB;
  test('photos must be images and documents PDFs', () => {
    expect(pickedFileProblem({ name: 'a.jpg', type: 'image/jpeg', size: 10 }, 'photo', limit)).toBeNull();
    expect(pickedFileProblem({ name: 'a.pdf', type: 'application/pdf', size: 10 }, 'document', limit)).toBeNull();
    expect(pickedFileProblem({ name: 'notes.txt', type: 'text/plain', size: 10 }, 'photo', limit)).toMatch(
      /“notes.txt” is not a photo/,
    );
    expect(pickedFileProblem({ name: 'scan.PDF', type: '', size: 10 }, 'document', limit)).toBeNull();
    expect(pickedFileProblem({ name: 'a.jpg', type: 'image/jpeg', size: 10 }, 'document', limit)).toBe(
      '“a.jpg” is not a PDF. Only PDF documents can be added.',
    );
  });

  test('an empty file or a document over the limit is refused with the sizes', () => {
    expect(pickedFileProblem({ name: 'a.jpg', type: 'image/jpeg', size: 0 }, 'photo', limit)).toBe('“a.jpg” is empty.');
    expect(pickedFileProblem({ name: 'big.pdf', type: 'application/pdf', size: 30 * MB }, 'document', limit)).toBe(
      '“big.pdf” is 30.0 MB; files may be at most 25.0 MB.',
    );
  });
});
