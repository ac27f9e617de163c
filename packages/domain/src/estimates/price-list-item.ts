import { z } from 'zod';
import { syncedRowShape } from '../entities/synced-row';
import { TEXT_LIMITS, textSchema } from '../wire-formats';
import { estimateLineKindSchema, unitPriceCentsSchema } from './estimate';

/** The fields of a price-list item a person sets. */
export const priceListItemShape = {
  name: textSchema({ trim: true, min: 1, max: TEXT_LIMITS.name }),
  kind: estimateLineKindSchema,
  unit: textSchema({ trim: true, min: 1, max: TEXT_LIMITS.label }),
  unitPriceCents: unitPriceCentsSchema,
  /** Kept for old estimates but no longer offered. */
  archived: z.boolean(),
};

/** A reusable priced item (labor rate, a material per sq ft) the phone offers while an estimate is typed. */
export const priceListItemSchema = z.object({ ...syncedRowShape, ...priceListItemShape });
export type PriceListItem = z.infer<typeof priceListItemSchema>;

export const PRICE_LIST_EDITABLE_FIELDS = ['name', 'kind', 'unit', 'unitPriceCents', 'archived'] as const;

/**
 * Items whose name starts a word with what the person typed, best first:
 * names starting with it, then names containing a word that does. Archived
 * items are never offered.
 */
export function suggestPriceListItems<T extends Pick<z.infer<typeof priceListItemSchema>, 'name' | 'archived'>>(
  items: readonly T[],
  typed: string,
  limit = 6,
): T[] {
  const needle = typed.trim().toLocaleLowerCase();
  if (!needle) return [];
  const starts: T[] = [];
  const words: T[] = [];
  for (const item of items) {
    if (item.archived) continue;
    const name = item.name.toLocaleLowerCase();
    if (name.startsWith(needle)) starts.push(item);
    else if (name.split(/\s+/).some((word) => word.startsWith(needle))) words.push(item);
  }
  const byName = (a: T, b: T) => a.name.localeCompare(b.name);
  return [...starts.sort(byName), ...words.sort(byName)].slice(0, limit);
}
