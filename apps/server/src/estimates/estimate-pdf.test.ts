import { newEstimate } from '@fieldsync/domain';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { drawableText, type EstimatePdfContent, renderEstimatePdf } from './estimate-pdf';

describe('drawableText', () => {
  test('keeps what Helvetica draws: Latin-1, €, typographic quotes and dashes, line breaks', () => {
    const text = 'José Müller — “Crème” ‘brûlée’ €5 Ørsted ß\nsecond line';
    expect(drawableText(text)).toBe(text);
  });
  test('strips accents it cannot draw, replaces other letters, leaves out emoji and joiners', () => {
    expect(drawableText('Łukasz Đoković Őrs')).toBe('Lukasz Dokovic Ors');
    expect(drawableText('Chloé 😀 👩‍🔧!')).toBe('Chloé  !');
    expect(drawableText('王 Müller')).toBe('? Müller');
    expect(drawableText('a\tb\r\nc\u202fd')).toBe('a b\nc d');
  });
});

const content = (text: string): EstimatePdfContent => {
  const estimate = newEstimate(
    {
      id: '00000000-0000-4000-8000-000000000001',
      customerId: '00000000-0000-4000-8000-000000000002',
      title: text || 'Title',
      lines: [
        {
          id: '00000000-0000-4000-8000-000000000003',
          kind: 'other',
          description: text || 'Line',
          quantity: 1,
          unit: text || 'each',
          unitPriceCents: -250,
        },
      ],
      taxRateBasisPoints: 1000,
      validUntil: '2026-12-31',
      notes: text,
    },
    { currency: 'EUR', createdBy: '00000000-0000-4000-8000-000000000004' },
  );
  return {
    company: { name: text || 'Company', timeZone: 'Europe/Berlin', timeFormat: '24h' },
    estimate: {
      ...estimate,
      number: 'EST-20261130-AB12CD',
      status: 'accepted',
      createdAt: '2026-11-30T10:00:00.000Z',
      acceptedAt: '2026-11-30T11:00:00.000Z',
    },
    customer: { name: text || 'Customer', address: text },
    signature: { state: 'uploading', signerName: text },
  };
};

test('any text renders to a PDF, whatever its characters', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 60 }), async (text) => {
      const pdf = await renderEstimatePdf(content(text));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }),
    { numRuns: 40 },
  );
});

test('a signature that does not decode is said, not a failure', async () => {
  const base = content('Zoë');
  const pdf = await renderEstimatePdf(
    { ...base, signature: { state: 'uploaded', signerName: 'Zoë', png: new Uint8Array([1, 2, 3]) } },
    { compress: false },
  );
  expect(pdf.toString('latin1')).not.toContain('/Subtype /Image');
});
