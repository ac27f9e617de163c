import { ESTIMATE_LINE_KINDS, type EstimateLineKind, type PriceListItem, parseMoneyToCents } from '@fieldsync/domain';
import { type MutationArgs, mutationArgsSchemas } from '@fieldsync/protocol';
import { LINE_KIND_LABEL } from '../estimates/estimate-words';
import { issuesByField } from './form-issues';

// What a line or price-list item prices, in the same words as the estimate editor's.
export { ESTIMATE_LINE_KINDS, LINE_KIND_LABEL };

/** A price-list item as typed in the office's form. */
export interface PriceListTyped {
  name: string;
  kind: EstimateLineKind;
  unit: string;
  /** Money as typed ("65", "3.99", "$1,200"). */
  unitPrice: string;
}

/** The form's fields, for messages next to them; '' is the item as a whole. */
export type PriceListIssues = Partial<Record<keyof PriceListTyped | '', string>>;

type ItemFields = Pick<PriceListItem, 'name' | 'kind' | 'unit' | 'unitPriceCents'>;

const FIELD_OF: Readonly<Record<string, keyof PriceListTyped>> = {
  name: 'name',
  kind: 'kind',
  unit: 'unit',
  unitPriceCents: 'unitPrice',
};

const LABELS = { name: 'Name', kind: 'Kind', unit: 'Unit', unitPriceCents: 'Unit price' };

export const EMPTY_PRICE_LIST_TYPED: PriceListTyped = { name: '', kind: 'labor', unit: '', unitPrice: '' };

/** The form's starting text for an item. */
export function priceListTyped(item: ItemFields): PriceListTyped {
  return { name: item.name, kind: item.kind, unit: item.unit, unitPrice: (item.unitPriceCents / 100).toFixed(2) };
}

function issuesOf(error: Parameters<typeof issuesByField>[0]): PriceListIssues {
  const issues: PriceListIssues = {};
  for (const [field, message] of Object.entries(issuesByField(error, LABELS)))
    issues[FIELD_OF[field] ?? ''] ??= message;
  return issues;
}

/** The typed fields as an item's values, or what is wrong with the price. */
function readTyped(typed: PriceListTyped): { ok: true; fields: ItemFields } | { ok: false; issues: PriceListIssues } {
  const unitPriceCents = parseMoneyToCents(typed.unitPrice.trim());
  if (unitPriceCents === undefined) {
    return {
      ok: false,
      issues: {
        unitPrice: typed.unitPrice.trim()
          ? 'Write the unit price as an amount, such as 65 or 3.99.'
          : 'Give the unit price, such as 65 or 3.99.',
      },
    };
  }
  return { ok: true, fields: { name: typed.name.trim(), kind: typed.kind, unit: typed.unit.trim(), unitPriceCents } };
}

/** `priceListItem.create`'s args for a new item, or the problems in plain words, per field. */
export function priceListCreateArgs(
  id: string,
  typed: PriceListTyped,
): { ok: true; args: MutationArgs<'priceListItem.create'> } | { ok: false; issues: PriceListIssues } {
  const read = readTyped(typed);
  const parsed = mutationArgsSchemas['priceListItem.create'].safeParse({
    id,
    // A price that is not money is said by `readTyped`; the other fields are still checked.
    ...(read.ok
      ? read.fields
      : { name: typed.name.trim(), kind: typed.kind, unit: typed.unit.trim(), unitPriceCents: 0 }),
  });
  if (!read.ok || !parsed.success) {
    return {
      ok: false,
      issues: { ...(parsed.success ? {} : issuesOf(parsed.error)), ...(read.ok ? {} : read.issues) },
    };
  }
  return { ok: true, args: parsed.data };
}

/**
 * `priceListItem.update`'s patch and base for an edited item (only the fields
 * that changed, with what this computer saw), nothing when nothing changed,
 * or the problems in plain words.
 */
export function priceListItemChange(
  item: ItemFields & { id: string },
  typed: PriceListTyped,
):
  | { kind: 'unchanged' }
  | { kind: 'invalid'; issues: PriceListIssues }
  | { kind: 'change'; patch: Partial<ItemFields>; base: Partial<ItemFields> } {
  const read = readTyped(typed);
  if (!read.ok) return { kind: 'invalid', issues: read.issues };
  const patch: Record<string, unknown> = {};
  const base: Record<string, unknown> = {};
  for (const field of ['name', 'kind', 'unit', 'unitPriceCents'] as const) {
    if (read.fields[field] !== item[field]) {
      patch[field] = read.fields[field];
      base[field] = item[field];
    }
  }
  if (Object.keys(patch).length === 0) return { kind: 'unchanged' };
  const parsed = mutationArgsSchemas['priceListItem.update'].safeParse({ id: item.id, patch, base });
  if (!parsed.success) return { kind: 'invalid', issues: issuesOf(parsed.error) };
  return { kind: 'change', patch: patch as Partial<ItemFields>, base: base as Partial<ItemFields> };
}

/** Items for the office's table: live ones by name, archived ones after them (when shown at all). */
export function priceListOrder<
  T extends Pick<PriceListItem, 'name' | 'archived' | 'id'> & { deletedAt?: string | null },
>(items: readonly T[], showArchived: boolean): T[] {
  return items
    .filter((item) => !item.deletedAt && (showArchived || !item.archived))
    .sort(
      (a, b) =>
        Number(a.archived) - Number(b.archived) ||
        a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) ||
        a.id.localeCompare(b.id),
    );
}
