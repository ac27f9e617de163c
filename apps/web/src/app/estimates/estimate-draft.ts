/**
 * The estimate editor's state as a person types it (text fields kept as
 * typed, so nothing is lost on a bad value) and its way to and from the
 * `estimate.create` / `estimate.update` args. Pure: no React, no database.
 */
import {
  type Estimate,
  type EstimateLine,
  type EstimateLineKind,
  estimateTotals,
  formatCents,
  lineTotalCents,
  MAX_ESTIMATE_LINES,
  MAX_LINE_QUANTITY,
  MAX_UNIT_PRICE_CENTS,
  type PriceListItem,
  parseMoneyToCents,
  TEXT_LIMITS,
} from '@fieldsync/domain';
import type { MutationArgs } from '@fieldsync/protocol';

/** One line as typed: quantity and unit price stay text until saved. */
export interface LineDraft {
  id: string;
  kind: EstimateLineKind;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
}

export interface EstimateDraft {
  title: string;
  lines: LineDraft[];
  /** Percent as typed, "8.25". */
  taxRate: string;
  /** `YYYY-MM-DD`, the last day the price holds. */
  validUntil: string;
  notes: string;
  /** Whether the estimate prices the job it was started from (asked only when there is one). */
  forJob: boolean;
}

/** The checked values of a draft, ready for the mutation args. */
export interface EstimateValues {
  title: string;
  lines: EstimateLine[];
  taxRateBasisPoints: number;
  validUntil: string;
  notes: string | null;
}

/** The field a problem is about: a draft field, or one field of one line. */
export type LineField = 'description' | 'quantity' | 'unit' | 'unitPrice';
export type DraftProblems = Record<string, string>;

export const lineProblemKey = (lineId: string, field: LineField) => `line:${lineId}:${field}`;

/** How long an estimate's price holds unless the person says otherwise. */
export const DEFAULT_VALID_DAYS = 30;

/** The unit a new line of each kind starts with. */
export const DEFAULT_UNITS: { readonly [K in EstimateLineKind]: string } = {
  labor: 'hour',
  material: 'piece',
  equipment: 'day',
  other: 'each',
};

/** Units offered as the person types one (any text is allowed). */
export const COMMON_UNITS = ['hour', 'day', 'each', 'piece', 'sq ft', 'sq yd', 'ft', 'box', 'bag', 'gal', 'job'];

// ---------------------------------------------------------------- numbers as typed

/** Cents as an amount to edit: 4550 → "45.50", -310 → "-3.10". */
export function centsToInput(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** A quantity to edit: 2.675 → "2.675", 3 → "3". */
export function quantityToInput(quantity: number): string {
  return String(Number(quantity.toFixed(3)));
}

/** Basis points as a percent to edit: 825 → "8.25", 800 → "8". */
export function basisPointsToPercent(basisPoints: number): string {
  return String(Number((basisPoints / 100).toFixed(2)));
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** A line quantity: more than 0, at most three decimals, "2,5" read as 2.5. */
export function parseQuantity(text: string): Parsed<number> {
  const typed = text.trim().replace(/^(\d*),(\d+)$/, '$1.$2');
  if (!typed) return { ok: false, problem: 'Enter a quantity.' };
  const match = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/.exec(typed);
  if (!match) {
    if (/^-/.test(typed)) return { ok: false, problem: 'Quantity must be more than 0.' };
    return { ok: false, problem: 'Quantity must be a number, like 2 or 2.5.' };
  }
  const decimals = match[2] ?? match[3] ?? '';
  if (decimals.length > 3) return { ok: false, problem: 'Quantity can have at most 3 decimals, like 2.125.' };
  const value = Number(typed);
  if (value <= 0) return { ok: false, problem: 'Quantity must be more than 0.' };
  if (value > MAX_LINE_QUANTITY) {
    return { ok: false, problem: `Quantity can be at most ${MAX_LINE_QUANTITY.toLocaleString('en-US')}.` };
  }
  return { ok: true, value };
}

/** A unit price in cents; negative for a discount. */
export function parseUnitPrice(text: string): Parsed<number> {
  if (!text.trim()) return { ok: false, problem: 'Enter a unit price (0 if it is free).' };
  const cents = parseMoneyToCents(text);
  if (cents === undefined) {
    return { ok: false, problem: 'Unit price must be an amount, like 45 or 45.50 (at most 2 decimals).' };
  }
  if (Math.abs(cents) > MAX_UNIT_PRICE_CENTS) {
    return { ok: false, problem: `Unit price can be at most ${(MAX_UNIT_PRICE_CENTS / 100).toLocaleString('en-US')}.` };
  }
  return { ok: true, value: cents };
}

/** A tax rate in percent ("8.25", "8.25 %") as basis points (825). */
export function parseTaxRate(text: string): Parsed<number> {
  const typed = text
    .trim()
    .replace(/\s*%$/, '')
    .replace(/^(\d*),(\d+)$/, '$1.$2');
  if (!typed) return { ok: false, problem: 'Enter a tax rate (0 if there is no tax).' };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(typed);
  if (!match) return { ok: false, problem: 'Tax rate must be a percentage, like 8.25.' };
  if ((match[2] ?? '').length > 2) return { ok: false, problem: 'Tax rate can have at most 2 decimals, like 8.25.' };
  const basisPoints = Math.round(Number(typed) * 100);
  if (basisPoints > 10_000) return { ok: false, problem: 'Tax rate can be at most 100%.' };
  return { ok: true, value: basisPoints };
}

// ---------------------------------------------------------------- drafts

export function emptyLine(id: string, kind: EstimateLineKind = 'labor'): LineDraft {
  return { id, kind, description: '', quantity: '1', unit: DEFAULT_UNITS[kind], unitPrice: '' };
}

/** A new estimate's draft: one empty line, the company's tax rate, valid for {@link DEFAULT_VALID_DAYS} days. */
export function newDraft(input: {
  lineId: string;
  taxRateBasisPoints: number;
  validUntil: string;
  forJob: boolean;
}): EstimateDraft {
  return {
    title: '',
    lines: [emptyLine(input.lineId)],
    taxRate: basisPointsToPercent(input.taxRateBasisPoints),
    validUntil: input.validUntil,
    notes: '',
    forJob: input.forJob,
  };
}

/** A saved estimate as a draft to edit. */
export function draftFromEstimate(
  estimate: Pick<Estimate, 'title' | 'lines' | 'taxRateBasisPoints' | 'validUntil' | 'notes' | 'jobId'>,
): EstimateDraft {
  return {
    title: estimate.title,
    lines: estimate.lines.map((line) => ({
      id: line.id,
      kind: line.kind,
      description: line.description,
      quantity: quantityToInput(line.quantity),
      unit: line.unit,
      unitPrice: centsToInput(line.unitPriceCents),
    })),
    taxRate: basisPointsToPercent(estimate.taxRateBasisPoints),
    validUntil: estimate.validUntil,
    notes: estimate.notes ?? '',
    forJob: estimate.jobId !== null,
  };
}

/**
 * A new kind for a line: the unit follows when it was still the old kind's
 * default (a person's own unit is kept).
 */
export function changeLineKind(line: LineDraft, kind: EstimateLineKind): LineDraft {
  const unit = line.unit.trim() === '' || line.unit === DEFAULT_UNITS[line.kind] ? DEFAULT_UNITS[kind] : line.unit;
  return { ...line, kind, unit };
}

/** A price-list item picked for a line fills its description, kind, unit and unit price. */
export function applyPriceListItem(
  line: LineDraft,
  item: Pick<PriceListItem, 'name' | 'kind' | 'unit' | 'unitPriceCents'>,
): LineDraft {
  return {
    ...line,
    description: item.name,
    kind: item.kind,
    unit: item.unit,
    unitPrice: centsToInput(item.unitPriceCents),
  };
}

// ---------------------------------------------------------------- line list operations

/** Moves the line at `index` by `delta` places; out-of-range moves change nothing. */
export function moveLine<T>(lines: readonly T[], index: number, delta: number): T[] {
  const target = index + delta;
  if (index < 0 || index >= lines.length || target < 0 || target >= lines.length) return [...lines];
  const next = [...lines];
  const [moved] = next.splice(index, 1);
  next.splice(target, 0, moved as T);
  return next;
}

/** A copy of the line at `index`, with `newId`, placed right after it. */
export function duplicateLine(lines: readonly LineDraft[], index: number, newId: string): LineDraft[] {
  const original = lines[index];
  if (!original) return [...lines];
  const next = [...lines];
  next.splice(index + 1, 0, { ...original, id: newId });
  return next;
}

export function removeLine(lines: readonly LineDraft[], lineId: string): LineDraft[] {
  return lines.filter((line) => line.id !== lineId);
}

// ---------------------------------------------------------------- checking

/**
 * Every problem of the draft, one plain sentence per field (see
 * {@link lineProblemKey}), and the checked values when there is none.
 * `today` is the company's day: a new last valid day may not be before it;
 * `savedValidUntil` (an edit's saved day) stays allowed as it was.
 */
export function checkDraft(
  draft: EstimateDraft,
  context: { today: string; savedValidUntil?: string },
): { problems: DraftProblems; values: EstimateValues | null } {
  const problems: DraftProblems = {};
  const title = draft.title.trim();
  if (!title) problems.title = 'Give the estimate a title, e.g. “Kitchen floor”.';
  else if (title.length > TEXT_LIMITS.name) problems.title = `The title can be at most ${TEXT_LIMITS.name} characters.`;

  if (draft.lines.length === 0) problems.lines = 'Add at least one line.';
  if (draft.lines.length > MAX_ESTIMATE_LINES) {
    problems.lines = `An estimate can have at most ${MAX_ESTIMATE_LINES} lines.`;
  }
  const lines: EstimateLine[] = [];
  for (const line of draft.lines) {
    const description = line.description.trim();
    const unit = line.unit.trim();
    const quantity = parseQuantity(line.quantity);
    const price = parseUnitPrice(line.unitPrice);
    if (!description) problems[lineProblemKey(line.id, 'description')] = 'Each line needs a description.';
    else if (description.length > TEXT_LIMITS.name) {
      problems[lineProblemKey(line.id, 'description')] = `A description can be at most ${TEXT_LIMITS.name} characters.`;
    }
    if (!unit) problems[lineProblemKey(line.id, 'unit')] = 'Enter a unit, e.g. hour or sq ft.';
    else if (unit.length > TEXT_LIMITS.label) {
      problems[lineProblemKey(line.id, 'unit')] = `A unit can be at most ${TEXT_LIMITS.label} characters.`;
    }
    if (!quantity.ok) problems[lineProblemKey(line.id, 'quantity')] = quantity.problem;
    if (!price.ok) problems[lineProblemKey(line.id, 'unitPrice')] = price.problem;
    if (quantity.ok && price.ok) {
      lines.push({
        id: line.id,
        kind: line.kind,
        description,
        quantity: quantity.value,
        unit,
        unitPriceCents: price.value,
      });
    }
  }

  const tax = parseTaxRate(draft.taxRate);
  if (!tax.ok) problems.taxRate = tax.problem;

  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.validUntil) || Number.isNaN(Date.parse(`${draft.validUntil}T00:00:00Z`))) {
    problems.validUntil = 'Choose the last day the price holds.';
  } else if (draft.validUntil < context.today && draft.validUntil !== context.savedValidUntil) {
    problems.validUntil = 'The last valid day cannot be in the past.';
  }

  if (draft.notes.length > TEXT_LIMITS.longText) {
    problems.notes = `Notes can be at most ${TEXT_LIMITS.longText.toLocaleString('en-US')} characters.`;
  }

  if (Object.keys(problems).length > 0 || !tax.ok) return { problems, values: null };
  return {
    problems,
    values: {
      title,
      lines,
      taxRateBasisPoints: tax.value,
      validUntil: draft.validUntil,
      notes: draft.notes.trim() ? draft.notes : null,
    },
  };
}

// ---------------------------------------------------------------- totals while typing

export interface DraftTotals {
  /** Each line's total, or null while its quantity or price is not a number yet. */
  lineTotalsCents: Array<number | null>;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  /** False when a line or the tax rate is left out because it is not a number yet. */
  complete: boolean;
}

/** The running totals of what is typed so far, by the domain's arithmetic; unreadable parts count as nothing. */
export function draftTotals(draft: Pick<EstimateDraft, 'lines' | 'taxRate'>): DraftTotals {
  const readable: Array<{ quantity: number; unitPriceCents: number }> = [];
  const lineTotalsCents = draft.lines.map((line) => {
    const quantity = parseQuantity(line.quantity);
    const price = parseUnitPrice(line.unitPrice);
    if (!quantity.ok || !price.ok) return null;
    const priced = { quantity: quantity.value, unitPriceCents: price.value };
    readable.push(priced);
    return lineTotalCents(priced);
  });
  const tax = parseTaxRate(draft.taxRate);
  const totals = estimateTotals(readable, tax.ok ? tax.value : 0);
  return {
    lineTotalsCents,
    subtotalCents: totals.subtotalCents,
    taxCents: totals.taxCents,
    totalCents: totals.totalCents,
    complete: tax.ok && readable.length === draft.lines.length,
  };
}

// ---------------------------------------------------------------- args

/** `estimate.create`'s args for a checked draft. */
export function createArgs(
  values: EstimateValues,
  target: { id: string; customerId: string; jobId: string | null },
): MutationArgs<'estimate.create'> {
  return {
    id: target.id,
    customerId: target.customerId,
    jobId: target.jobId,
    title: values.title,
    lines: values.lines,
    taxRateBasisPoints: values.taxRateBasisPoints,
    validUntil: values.validUntil,
    ...(values.notes === null ? {} : { notes: values.notes }),
  };
}

type SavedEstimate = Pick<Estimate, 'id' | 'jobId' | 'title' | 'lines' | 'taxRateBasisPoints' | 'validUntil' | 'notes'>;

/**
 * `estimate.update`'s args: the fields that differ from `saved` (the estimate
 * as this device saw it when editing began) in `patch`, their saved values in
 * `base`. Null when nothing changed.
 */
export function updateArgs(
  saved: SavedEstimate,
  values: EstimateValues,
  jobId: string | null,
): MutationArgs<'estimate.update'> | null {
  const next = { ...values, jobId };
  const patch: Record<string, unknown> = {};
  const base: Record<string, unknown> = {};
  for (const field of ['title', 'lines', 'taxRateBasisPoints', 'validUntil', 'notes', 'jobId'] as const) {
    const before = saved[field] ?? null;
    const after = next[field] ?? null;
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      patch[field] = after;
      base[field] = before;
    }
  }
  if (Object.keys(patch).length === 0) return null;
  return { id: saved.id, patch, base } as MutationArgs<'estimate.update'>;
}

// ---------------------------------------------------------------- materials from an accepted estimate

const sameItem = (name: string) => name.trim().toLocaleLowerCase();

/**
 * The estimate's material lines not yet on the job's checklist (matched by
 * item name, ignoring case and spaces around it), each once, for `material.add`.
 */
export function materialsToAdd(
  lines: readonly EstimateLine[],
  onJob: ReadonlyArray<{ itemName: string; deletedAt?: string | null }>,
): Array<{ itemName: string; quantity: number; unit: string }> {
  const known = new Set(onJob.filter((material) => !material.deletedAt).map((material) => sameItem(material.itemName)));
  const toAdd: Array<{ itemName: string; quantity: number; unit: string }> = [];
  for (const line of lines) {
    if (line.kind !== 'material' || known.has(sameItem(line.description))) continue;
    known.add(sameItem(line.description));
    toAdd.push({ itemName: line.description.trim(), quantity: line.quantity, unit: line.unit });
  }
  return toAdd;
}

// ---------------------------------------------------------------- words for a line

/** "3.5 hour × $65.00" for a line. */
export function lineRateText(
  line: Pick<EstimateLine, 'quantity' | 'unit' | 'unitPriceCents'>,
  currency: string,
): string {
  return `${quantityToInput(line.quantity)} ${line.unit} × ${formatCents(line.unitPriceCents, currency)}`;
}
