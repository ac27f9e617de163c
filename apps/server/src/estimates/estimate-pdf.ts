/**
 * The customer's copy of an estimate as a PDF (`GET /api/estimates/:id/pdf`):
 * the company, the customer, every line, the totals, how long the offer
 * holds, and the customer's signature once they accepted with one.
 *
 * Only PDF's built-in Helvetica is used: nothing to ship or embed, and every
 * PDF reader has it. Those fonts draw Windows-1252 (Latin letters, accents,
 * € and typographic quotes) and nothing else, so every text goes through
 * `drawableText` first: accents another script stacks on a Latin letter are
 * dropped (ő → o), other letters become "?", emoji and other symbols are left out.
 */
import {
  type EstimateLine,
  type EstimateStatus,
  formatCents,
  lineTotalCents,
  type TimeFormat,
  utcToLocalDateTime,
} from '@fieldsync/domain';
import PDFDocument from 'pdfkit';

/** Everything the PDF shows, read beforehand (see `estimate-pdf-source.ts`). */
export interface EstimatePdfContent {
  company: { name: string; timeZone: string; timeFormat: TimeFormat };
  estimate: {
    number: string;
    title: string;
    status: EstimateStatus;
    currency: string;
    lines: readonly EstimateLine[];
    taxRateBasisPoints: number;
    subtotalCents: number;
    taxCents: number;
    totalCents: number;
    /** The last day the offer holds, `YYYY-MM-DD` on the company's calendar. */
    validUntil: string;
    notes: string | null;
    createdAt: string;
    sentAt: string | null;
    acceptedAt: string | null;
    rejectedReason: string | null;
  };
  customer: { name: string; address: string | null } | undefined;
  /**
   * The signature the customer gave on accepting: none, its bytes (a PNG),
   * or known but still on its way up from the phone.
   */
  signature:
    | { state: 'none' }
    | { state: 'uploading'; signerName: string | null }
    | { state: 'uploaded'; signerName: string | null; png: Uint8Array };
}

export interface EstimatePdfOptions {
  /** Deflate the page contents (PDF's default here); off makes the text readable in the raw file. */
  compress?: boolean;
}

/** What the status says to the customer. */
const STATUS_WORDS: { readonly [S in EstimateStatus]: string } = {
  draft: 'Draft',
  sent: 'Sent, awaiting your answer',
  accepted: 'Accepted',
  rejected: 'Declined',
  expired: 'Expired',
};

export const SIGNATURE_UPLOADING_TEXT = 'Signed on the phone; the signature is still uploading';

// Windows-1252 characters above Latin-1 (what the standard fonts can draw besides it).
const WIN_ANSI_EXTRAS = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c,
  0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);
// Latin letters with no accent to strip: the nearest plain letter.
const PLAIN_LETTERS: Readonly<Record<string, string>> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i' };

function canDraw(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(code);
}

/**
 * `text` reduced to what Helvetica can draw, line breaks kept: a
 * character it cannot draw becomes the same letter without its accent, else
 * "?" for a letter or digit of another script, else (an emoji, a symbol, a
 * joiner) nothing.
 */
export function drawableText(text: string): string {
  let drawable = '';
  for (const character of text.replace(/\r\n?/g, '\n').normalize('NFC')) {
    if (character === '\n' || canDraw(character)) drawable += character;
    else if (/\s/u.test(character)) drawable += ' ';
    else if (PLAIN_LETTERS[character]) drawable += PLAIN_LETTERS[character];
    else {
      const plain = character.normalize('NFD').replace(/\p{M}/gu, '');
      if (plain !== '' && [...plain].every(canDraw)) drawable += plain;
      else if (/[\p{L}\p{N}]/u.test(character)) drawable += '?';
    }
  }
  return drawable;
}

const PAGE = { width: 612, height: 792, margin: 50 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const COLUMNS = {
  description: { x: PAGE.margin, width: 226, align: 'left' },
  quantity: { x: PAGE.margin + 232, width: 90, align: 'left' },
  unitPrice: { x: PAGE.margin + 328, width: 88, align: 'right' },
  amount: { x: PAGE.margin + 422, width: 90, align: 'right' },
} as const;
const BODY_SIZE = 10;
const ROW_GAP = 6;

/** Renders the estimate; resolves with the whole file. */
export function renderEstimatePdf(content: EstimatePdfContent, options: EstimatePdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: PAGE.margin,
    compress: options.compress ?? true,
    bufferPages: true,
    info: { Title: `Estimate ${content.estimate.number}`, Producer: 'Fieldsync', Creator: 'Fieldsync' },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  new EstimateLayout(doc, content).draw();
  doc.end();
  return finished;
}

class EstimateLayout {
  private readonly estimate: EstimatePdfContent['estimate'];
  private readonly locale: string;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly content: EstimatePdfContent,
  ) {
    this.estimate = content.estimate;
    // The company's clock setting says where it is: 12-hour places write "December 1, 2026", others "1 December 2026".
    this.locale = content.company.timeFormat === '12h' ? 'en-US' : 'en-GB';
  }

  draw() {
    this.header();
    this.customer();
    this.lines();
    this.totals();
    this.terms();
    this.signature();
    this.pageFooters();
  }

  private text(text: string, x: number, y: number, options: PDFKit.Mixins.TextOptions = {}) {
    this.doc.text(drawableText(text), x, y, options);
  }

  private header() {
    const { doc, estimate } = this;
    const top = PAGE.margin;
    doc.font('Helvetica-Bold').fontSize(18);
    this.text(this.content.company.name, PAGE.margin, top, { width: CONTENT_WIDTH * 0.6 });
    const belowCompany = doc.y;
    doc.font('Helvetica-Bold').fontSize(14);
    this.text('Estimate', PAGE.margin, top, { width: CONTENT_WIDTH, align: 'right' });
    doc.font('Helvetica').fontSize(BODY_SIZE);
    const issued = utcToLocalDateTime(estimate.sentAt ?? estimate.createdAt, this.content.company.timeZone).date;
    this.text(estimate.number, PAGE.margin, doc.y + 2, { width: CONTENT_WIDTH, align: 'right' });
    this.text(`Date: ${this.longDate(issued)}`, PAGE.margin, doc.y, { width: CONTENT_WIDTH, align: 'right' });
    this.text(`Status: ${STATUS_WORDS[estimate.status]}`, PAGE.margin, doc.y, { width: CONTENT_WIDTH, align: 'right' });
    doc.y = Math.max(doc.y, belowCompany) + 18;
    doc.font('Helvetica-Bold').fontSize(14);
    this.text(estimate.title, PAGE.margin, doc.y, { width: CONTENT_WIDTH });
    doc.y += 10;
  }

  private customer() {
    const { doc } = this;
    const customer = this.content.customer;
    doc.font('Helvetica-Bold').fontSize(BODY_SIZE);
    this.text('Prepared for', PAGE.margin, doc.y, { width: CONTENT_WIDTH });
    doc.font('Helvetica');
    this.text(customer?.name ?? 'Customer', PAGE.margin, doc.y, { width: CONTENT_WIDTH });
    if (customer?.address) this.text(customer.address, PAGE.margin, doc.y, { width: CONTENT_WIDTH });
    doc.y += 16;
  }

  private money(cents: number): string {
    const formatted = formatCents(cents, this.estimate.currency, 'en-US');
    if (drawableText(formatted) === formatted) return formatted;
    // A currency sign the font cannot draw (₹, ₩…): its code instead.
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: this.estimate.currency,
      currencyDisplay: 'code',
    }).format(cents / 100);
  }

  private quantity(line: EstimateLine): string {
    return `${line.quantity.toLocaleString('en-US', { maximumFractionDigits: 3 })} ${line.unit}`;
  }

  private tableHeader() {
    const { doc } = this;
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(BODY_SIZE);
    const headings = { description: 'Description', quantity: 'Quantity', unitPrice: 'Unit price', amount: 'Amount' };
    for (const [column, heading] of Object.entries(headings) as Array<[keyof typeof COLUMNS, string]>) {
      const { x, width, align } = COLUMNS[column];
      this.text(heading, x, y, { width, align });
    }
    const below = y + doc.currentLineHeight() + 3;
    doc
      .moveTo(PAGE.margin, below)
      .lineTo(PAGE.margin + CONTENT_WIDTH, below)
      .lineWidth(0.75)
      .stroke();
    doc.y = below + ROW_GAP;
    doc.font('Helvetica');
  }

  private lines() {
    const { doc } = this;
    this.tableHeader();
    for (const line of this.estimate.lines) {
      const cells = {
        description: drawableText(line.description),
        quantity: drawableText(this.quantity(line)),
        unitPrice: this.money(line.unitPriceCents),
        amount: this.money(lineTotalCents(line)),
      };
      const height = Math.max(
        ...(Object.keys(cells) as Array<keyof typeof COLUMNS>).map((column) =>
          doc.heightOfString(cells[column], { width: COLUMNS[column].width }),
        ),
      );
      if (doc.y + height > this.bottom()) {
        doc.addPage();
        this.tableHeader();
      }
      const y = doc.y;
      for (const column of Object.keys(cells) as Array<keyof typeof COLUMNS>) {
        const { x, width, align } = COLUMNS[column];
        doc.text(cells[column], x, y, { width, align });
      }
      doc.y = y + height + ROW_GAP;
    }
    doc
      .moveTo(PAGE.margin, doc.y)
      .lineTo(PAGE.margin + CONTENT_WIDTH, doc.y)
      .lineWidth(0.75)
      .stroke();
    doc.y += ROW_GAP;
  }

  private totals() {
    const { doc, estimate } = this;
    const rate = (estimate.taxRateBasisPoints / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });
    const rows: Array<[string, string, boolean]> = [
      ['Subtotal', this.money(estimate.subtotalCents), false],
      [`Tax (${rate}%)`, this.money(estimate.taxCents), false],
      ['Total', this.money(estimate.totalCents), true],
    ];
    this.keepTogether(rows.length * 16);
    const labelX = COLUMNS.unitPrice.x - 60;
    const labelWidth = COLUMNS.unitPrice.width + 60;
    for (const [label, amount, bold] of rows) {
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? 12 : BODY_SIZE);
      doc.text(label, labelX, y, { width: labelWidth, align: 'right' });
      doc.text(amount, COLUMNS.amount.x, y, { width: COLUMNS.amount.width, align: 'right' });
      doc.y += 3;
    }
    doc.font('Helvetica').fontSize(BODY_SIZE);
    doc.y += 14;
  }

  private terms() {
    const { doc, estimate } = this;
    this.keepTogether(40);
    doc.font('Helvetica-Bold');
    this.text(`Valid until ${this.longDate(estimate.validUntil)}`, PAGE.margin, doc.y, { width: CONTENT_WIDTH });
    doc.font('Helvetica');
    if (estimate.status === 'rejected' && estimate.rejectedReason) {
      this.text(`Declined: ${estimate.rejectedReason}`, PAGE.margin, doc.y + 4, { width: CONTENT_WIDTH });
    }
    if (estimate.notes?.trim()) {
      doc.y += 12;
      this.keepTogether(30);
      doc.font('Helvetica-Bold');
      this.text('Notes', PAGE.margin, doc.y, { width: CONTENT_WIDTH });
      doc.font('Helvetica');
      this.text(estimate.notes, PAGE.margin, doc.y + 2, { width: CONTENT_WIDTH });
    }
    doc.y += 16;
  }

  private signature() {
    const { doc, estimate } = this;
    if (estimate.status !== 'accepted') return;
    const signature = this.content.signature;
    const imageHeight = 90;
    this.keepTogether(imageHeight + 60);
    doc.font('Helvetica-Bold').fontSize(BODY_SIZE);
    this.text('Accepted by the customer', PAGE.margin, doc.y, { width: CONTENT_WIDTH });
    doc.font('Helvetica');
    doc.y += 4;
    if (signature.state === 'uploaded') {
      const top = doc.y;
      try {
        doc.image(Buffer.from(signature.png), PAGE.margin, top, { fit: [240, imageHeight] });
        doc.y = top + imageHeight + 4;
      } catch {
        // Bytes that passed the upload checks but do not decode: say so rather than fail the whole copy.
        this.text('The signature image could not be shown.', PAGE.margin, top, { width: CONTENT_WIDTH });
      }
      doc
        .moveTo(PAGE.margin, doc.y)
        .lineTo(PAGE.margin + 240, doc.y)
        .lineWidth(0.5)
        .stroke();
      doc.y += 4;
    } else if (signature.state === 'uploading') {
      this.text(SIGNATURE_UPLOADING_TEXT, PAGE.margin, doc.y, { width: CONTENT_WIDTH });
    }
    if (signature.state !== 'none' && signature.signerName) {
      this.text(`Signed by ${signature.signerName}`, PAGE.margin, doc.y, { width: CONTENT_WIDTH });
    }
    if (estimate.acceptedAt) {
      this.text(`Accepted on ${this.dateAndTime(estimate.acceptedAt)}`, PAGE.margin, doc.y, { width: CONTENT_WIDTH });
    }
  }

  /** "EST-… · Page 1 of 2" at the foot of every page. */
  private pageFooters() {
    const { doc } = this;
    const { start, count } = doc.bufferedPageRange();
    doc.font('Helvetica').fontSize(8);
    for (let index = start; index < start + count; index += 1) {
      doc.switchToPage(index);
      // Writing below the bottom margin would otherwise start a new page.
      const bottomMargin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.text(`${this.estimate.number} \u00b7 Page ${index - start + 1} of ${count}`, PAGE.margin, PAGE.height - 35, {
        width: CONTENT_WIDTH,
        align: 'center',
        lineBreak: false,
      });
      doc.page.margins.bottom = bottomMargin;
    }
  }

  private bottom() {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  private keepTogether(height: number) {
    if (this.doc.y + height > this.bottom()) this.doc.addPage();
  }

  /** A company day (`YYYY-MM-DD`) written out: "December 1, 2026" or "1 December 2026". */
  private longDate(day: string): string {
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${day}T12:00:00Z`),
    );
  }

  /** An instant on the company's clock: "December 1, 2026, 9:05 AM" or "1 December 2026, 09:05". */
  private dateAndTime(instant: string): string {
    const local = utcToLocalDateTime(instant, this.content.company.timeZone);
    const [hours = 0, minutes = 0] = local.time.split(':').map(Number);
    const clock =
      this.content.company.timeFormat === '12h'
        ? `${hours % 12 === 0 ? 12 : hours % 12}:${String(minutes).padStart(2, '0')} ${hours < 12 ? 'AM' : 'PM'}`
        : local.time;
    return `${this.longDate(local.date)}, ${clock}`;
  }
}
