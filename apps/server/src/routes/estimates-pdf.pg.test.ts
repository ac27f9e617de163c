/**
 * `GET /api/estimates/:id/pdf` on a real server: who may fetch an estimate's
 * PDF, and what the customer's copy says. Estimates are inserted as the
 * server stores them (totals from `newEstimate`); customers, jobs,
 * assignments and the signature go through pushes and the upload endpoint.
 * The text is read back out of the PDF's (deflated) page contents.
 */
import { createHash, randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { type EstimateLine, formatCents, newEstimate } from '@fieldsync/domain';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@fieldsync/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { estimates } from '../db/schema';
import { SIGNATURE_UPLOADING_TEXT } from '../estimates/estimate-pdf';
import {
  assignJob,
  contractorIdOf,
  createJobFixture,
  type Device,
  openDevice,
  pushApplied,
} from '../testing/sync-test-kit';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

/**
 * The text of every text-showing operation (`[<hex> kern <hex>] TJ`) in the
 * PDF's content streams (one per page), a line each, per page.
 */
function pdfPages(pdf: Buffer): string[] {
  const pages: string[] = [];
  for (let at = pdf.indexOf('>>\nstream\n'); at >= 0; at = pdf.indexOf('>>\nstream\n', at)) {
    const start = at + '>>\nstream\n'.length;
    const end = pdf.indexOf('\nendstream', start);
    if (end < 0) break;
    const raw = pdf.subarray(start, end);
    at = end;
    let content: string;
    try {
      content = inflateSync(raw).toString('latin1');
    } catch {
      content = raw.toString('latin1');
    }
    const lines = [...content.matchAll(/\[([^\]]*)\]\s*TJ/g)].map((shown) =>
      [...(shown[1] ?? '').matchAll(/<([0-9a-f]*)>/g)]
        .map((piece) => Buffer.from(piece[1] ?? '', 'hex').toString('latin1'))
        .join(''),
    );
    if (lines.length > 0) pages.push(lines.join('\n'));
  }
  return pages;
}

const pdfText = (pdf: Buffer) => pdfPages(pdf).join('\n');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(kinds)('the estimate PDF on %s', (kind) => {
  let server: TestServer;
  let office: Device;
  let phone: Device;
  let otherOffice: Device;
  /** A customer of a job the contractor holds, and one of a job they do not. */
  let theirCustomerId: string;
  let otherCustomerId: string;
  let theirJobId: string;

  const lines: EstimateLine[] = [
    {
      id: randomUUID(),
      kind: 'labor',
      description: 'Pose du carrelage, salle de bain 🛁',
      quantity: 3.5,
      unit: 'hours',
      unitPriceCents: 6500,
    },
    {
      id: randomUUID(),
      kind: 'material',
      description: 'Porcelain tile',
      quantity: 120.5,
      unit: 'sq ft',
      unitPriceCents: 399,
    },
  ];

  /** Inserts an estimate as the server stores it; returns its id and number. */
  async function insertEstimate(
    customerId: string,
    overrides: Partial<typeof estimates.$inferInsert> = {},
  ): Promise<{ id: string; number: string }> {
    const id = randomUUID();
    const number = `EST-20261121-${id.replaceAll('-', '').slice(0, 6).toUpperCase()}`;
    const row = newEstimate(
      {
        id,
        customerId,
        title: 'Bathroom floor – Müller',
        lines,
        taxRateBasisPoints: 825,
        validUntil: '2026-12-15',
        notes: 'Prices include haul-away.\nCrème brûlée on the house 🎉',
      },
      { currency: 'USD', createdBy: office.userId },
    );
    await server.database.db.insert(estimates).values({
      ...row,
      orgId: server.orgA.orgId,
      number,
      status: 'sent',
      sentAt: '2026-11-21T16:00:00Z',
      ...overrides,
    });
    return { id, number };
  }

  async function fetchPdf(id: string, token: string | undefined) {
    const response = await server.app.request(`/api/estimates/${id}/pdf`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  /** A signature of `customerId`'s job, its bytes uploaded or not. */
  async function addSignature(options: { upload: boolean }) {
    const png = await sharp({
      create: {
        width: 600,
        height: 200,
        channels: 4,
        background: { r: 255, g: 255, b: 255, alpha: 0 },
        noise: { type: 'gaussian', mean: 100, sigma: 80 },
      },
    })
      .png()
      .toBuffer();
    const id = randomUUID();
    await pushApplied(server, phone, [
      {
        name: 'attachment.add',
        args: {
          id,
          jobId: theirJobId,
          kind: 'signature',
          fileName: 'signature.png',
          contentType: 'image/png',
          byteSize: png.byteLength,
          sha256: sha256(png),
          takenAt: '2026-11-21T14:50:00.000Z',
          signerName: 'Renée Zoë Ørsted',
        },
      },
    ]);
    if (options.upload) {
      const tusHeaders = {
        authorization: `Bearer ${phone.token}`,
        'tus-resumable': '1.0.0',
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      };
      const created = await server.app.request('/api/uploads', {
        method: 'POST',
        headers: {
          ...tusHeaders,
          'upload-length': String(png.byteLength),
          'upload-metadata': `attachmentId ${Buffer.from(id).toString('base64')}`,
        },
      });
      expect(created.status).toBe(201);
      const sent = await server.app.request(created.headers.get('location') as string, {
        method: 'PATCH',
        headers: { ...tusHeaders, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
        body: new Uint8Array(png),
      });
      expect(sent.status).toBe(204);
    }
    return id;
  }

  beforeAll(async () => {
    server = await createTestServer(kind, { secondOrg: true });
    office = await openDevice(server, 'dispatcher1@example.com');
    phone = await openDevice(server, 'contractor3@example.com');
    otherOffice = await openDevice(server, 'dispatcher1@other.example');

    theirCustomerId = randomUUID();
    await pushApplied(server, office, [
      {
        name: 'customer.create',
        args: { id: theirCustomerId, name: 'José Łukasiewicz 😀', address: '12 Calle Niño\nDenver, CO 80202' },
      },
    ]);
    ({ jobId: theirJobId } = await createJobFixture(server, office, { customerId: theirCustomerId }));
    await assignJob(server, office, theirJobId, await contractorIdOf(server, phone.email));
    ({ customerId: otherCustomerId } = await createJobFixture(server, office));
  });
  afterAll(() => server.close());

  test('the office gets the customer’s copy: company, customer, lines, totals, validity, notes and status', async () => {
    const { id, number } = await insertEstimate(theirCustomerId);
    const { response, bytes } = await fetchPdf(id, office.token);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="${number}.pdf"`);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const text = pdfText(bytes);
    // 3.5 × $65.00 = $227.50; 120.5 × $3.99 = $480.795 → $480.80; tax 8.25 % of $708.30 = $58.43.
    const expected = [
      'Mile High Floors & Paving',
      number,
      'Date: November 21, 2026',
      // Accents Helvetica can draw stay; Ł loses its stroke; the emoji is left out.
      'José Lukasiewicz',
      '12 Calle Niño',
      'Pose du carrelage, salle de bain',
      '3.5 hours',
      '$65.00',
      '$227.50',
      '120.5 sq ft',
      '$480.80',
      'Subtotal',
      formatCents(70830, 'USD', 'en-US'),
      'Tax (8.25%)',
      '$58.43',
      'Total',
      '$766.73',
      'Valid until December 15, 2026',
      'Prices include haul-away.',
      'Crème brûlée on the house',
      'Status: Sent, awaiting your answer',
    ];
    for (const piece of expected) expect(text).toContain(piece);
    expect(text).not.toContain('?');
    // Not accepted: no signature block.
    expect(text).not.toContain('Accepted by the customer');
  });

  test('a contractor gets the estimates of their jobs’ customers and no others', async () => {
    const theirs = await insertEstimate(theirCustomerId);
    const own = await fetchPdf(theirs.id, phone.token);
    expect(own.response.status).toBe(200);
    expect(pdfText(own.bytes)).toContain(theirs.number);

    const notTheirs = await insertEstimate(otherCustomerId);
    const refused = await fetchPdf(notTheirs.id, phone.token);
    expect(refused.response.status).toBe(404);
    expect(JSON.parse(refused.bytes.toString('utf8')).error.code).toBe('not_found');
    // The office sees it.
    expect((await fetchPdf(notTheirs.id, office.token)).response.status).toBe(200);
  });

  test('another company’s estimate, an unknown or removed one is 404; a bad id is 400; no sign-in is 401', async () => {
    const { id } = await insertEstimate(theirCustomerId);
    const otherCompany = await fetchPdf(id, otherOffice.token);
    expect(otherCompany.response.status).toBe(404);
    expect(JSON.parse(otherCompany.bytes.toString('utf8')).error).toEqual({
      code: 'not_found',
      message: 'There is no such estimate, or it is not yours to see.',
    });
    expect((await fetchPdf(randomUUID(), office.token)).response.status).toBe(404);
    const removed = await insertEstimate(theirCustomerId, { deletedAt: '2026-11-21T15:00:00Z' });
    expect((await fetchPdf(removed.id, office.token)).response.status).toBe(404);

    const bad = await fetchPdf('not-an-id', office.token);
    expect(bad.response.status).toBe(400);
    expect(JSON.parse(bad.bytes.toString('utf8')).error).toEqual({
      code: 'invalid_body',
      message: 'The estimate id must be a UUID.',
    });
    expect((await fetchPdf(id, undefined)).response.status).toBe(401);
  });

  test('accepted with a signature: the signature image, the signer’s name and when', async () => {
    const accepted = { status: 'accepted', acceptedAt: '2026-11-21T16:30:00Z' } as const;
    const signed = await insertEstimate(theirCustomerId, {
      ...accepted,
      signatureAttachmentId: await addSignature({ upload: true }),
    });
    const uploading = await insertEstimate(theirCustomerId, {
      ...accepted,
      signatureAttachmentId: await addSignature({ upload: false }),
    });

    const withImage = await fetchPdf(signed.id, phone.token);
    expect(withImage.response.status).toBe(200);
    const raw = withImage.bytes.toString('latin1');
    expect(raw).toMatch(/\/Type \/XObject\s*\/Subtype \/Image/);
    const text = pdfText(withImage.bytes);
    expect(text).toContain('Status: Accepted');
    expect(text).toContain('Signed by Renée Zoë Ørsted');
    // 16:30Z is 9:30 in Denver.
    expect(text).toContain('Accepted on November 21, 2026, 9:30 AM');
    expect(text).not.toContain(SIGNATURE_UPLOADING_TEXT);

    const withoutImage = await fetchPdf(uploading.id, office.token);
    expect(withoutImage.response.status).toBe(200);
    expect(withoutImage.bytes.toString('latin1')).not.toContain('/Subtype /Image');
    const waiting = pdfText(withoutImage.bytes);
    expect(waiting).toContain(SIGNATURE_UPLOADING_TEXT);
    expect(waiting).toContain('Signed by Renée Zoë Ørsted');
    expect(withImage.bytes.byteLength).toBeGreaterThan(withoutImage.bytes.byteLength + 10_000);
  });

  test('many lines run onto further pages, each with the table header and a page number', async () => {
    const many: EstimateLine[] = Array.from({ length: 60 }, (_, index) => ({
      id: randomUUID(),
      kind: 'other',
      description: `Item ${index + 1}: ${'a long description that wraps onto a second line '.repeat(2)}`,
      quantity: 1,
      unit: 'each',
      unitPriceCents: 100,
    }));
    const { id, number } = await insertEstimate(theirCustomerId, {
      lines: many,
      subtotalCents: 6000,
      taxCents: 495,
      totalCents: 6495,
    });
    const { response, bytes } = await fetchPdf(id, office.token);
    expect(response.status).toBe(200);
    const pages = pdfPages(bytes);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, index) => {
      expect(page).toContain(`${number} \u00b7 Page ${index + 1} of ${pages.length}`);
      // Every page the table runs onto starts it with its header again.
      if (page.includes('Item ')) expect(page.split('\n')).toContain('Description');
    });
    const text = pages.join('\n');
    for (let item = 1; item <= 60; item += 1) expect(text).toContain(`Item ${item}: a long description`);
    expect(text).toContain('$64.95');
  });
});
