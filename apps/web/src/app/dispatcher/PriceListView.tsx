import { formatCents } from '@fieldsync/domain';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { type LocalRow, newId } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { useOrganization } from '../shell/use-organization';
import {
  EMPTY_PRICE_LIST_TYPED,
  ESTIMATE_LINE_KINDS,
  LINE_KIND_LABEL,
  type PriceListIssues,
  type PriceListTyped,
  priceListCreateArgs,
  priceListItemChange,
  priceListOrder,
  priceListTyped,
} from './price-list-form';
import { PendingMark, RefusedChanges } from './ui';
import './estimates.css';

type Item = LocalRow<'priceListItems'>;

/**
 * The company's price list (office only): labor rates and materials the
 * estimate editor offers as a person types. Items are added, edited in
 * place and archived (kept for old estimates, no longer offered).
 */
export function PriceListView() {
  const client = useFieldsync();
  const { db } = client;
  const state = useSyncState();
  const clock = useOrganization();
  const currency = clock.organization?.currency ?? 'USD';
  const items = useLiveQuery(() => db.priceListItems.toArray(), [db], undefined);
  const [showArchived, setShowArchived] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const shown = useMemo(() => priceListOrder(items ?? [], showArchived), [items, showArchived]);
  const archivedCount = useMemo(() => (items ?? []).filter((item) => item.archived && !item.deletedAt).length, [items]);
  const refused = state.rejected.filter((change) => change.name.startsWith('priceListItem.'));

  return (
    <section className="dsp-page" aria-labelledby="est-price-title">
      <header className="dsp-page-head">
        <div>
          <h1 id="est-price-title">Price list</h1>
          <p className="dsp-muted">
            Rates and materials offered while an estimate is typed, in the office and on the phones. Prices in{' '}
            {currency}.
          </p>
        </div>
      </header>
      <RefusedChanges
        changes={refused}
        lead={(change) => (change.code === 'conflict' ? 'Changed by someone else: ' : 'Not applied: ')}
        onDismiss={(id) => void client.dismissRejected(id)}
      />
      <AddItemForm currency={currency} />

      {items === undefined ? (
        <p className="dsp-muted" role="status" aria-busy="true">
          Loading…
        </p>
      ) : shown.length === 0 && archivedCount === 0 ? (
        <div className="dsp-empty-state" role="status">
          <p className="dsp-empty-title">The price list is empty</p>
          <p className="dsp-muted">
            Add the rates and materials you price most often, such as “Tiling labor, per hour”. Estimates can still be
            written without them.
          </p>
        </div>
      ) : (
        <>
          {archivedCount > 0 ? (
            <label className="dsp-check est-toolbar-note">
              <input
                type="checkbox"
                checked={showArchived}
                onChange={(event) => setShowArchived(event.target.checked)}
              />
              Show archived items ({archivedCount.toLocaleString()})
            </label>
          ) : null}
          {shown.length === 0 ? (
            <p className="dsp-empty">Every item is archived. Tick “Show archived items” to see them.</p>
          ) : (
            <div className="est-table-wrap">
              <table className="est-table est-cards" data-testid="price-list">
                <caption className="dsp-visually-hidden">Price list</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Unit</th>
                    <th scope="col" className="est-num">
                      Unit price
                    </th>
                    <th scope="col">
                      <span className="dsp-visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((item) =>
                    editingId === item.id ? (
                      <EditRow key={item.id} item={item} onDone={() => setEditingId(null)} />
                    ) : (
                      <ItemRow key={item.id} item={item} currency={currency} onEdit={() => setEditingId(item.id)} />
                    ),
                  )}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function ItemRow({ item, currency, onEdit }: { item: Item; currency: string; onEdit: () => void }) {
  const client = useFieldsync();
  const { run, error, busy } = useAction('computer');
  const toggleArchived = () =>
    run(() =>
      client.mutate('priceListItem.update', {
        id: item.id,
        patch: { archived: !item.archived },
        base: { archived: item.archived },
      }),
    );
  return (
    <tr className={item.archived ? 'est-row-archived' : undefined} data-price-item-id={item.id}>
      <td className="est-row-title">
        {item.name} {item.archived ? <span className="dsp-muted">(archived)</span> : null}{' '}
        <PendingMark pending={item._pendingSeq} />
      </td>
      <td data-label="Kind">{LINE_KIND_LABEL[item.kind]}</td>
      <td data-label="Unit">{item.unit}</td>
      <td data-label="Unit price" className="est-num">
        {formatCents(item.unitPriceCents, currency)}
      </td>
      <td>
        <span className="est-row-actions">
          <button
            type="button"
            className="dsp-button dsp-button-small"
            onClick={onEdit}
            aria-label={`Edit ${item.name}`}
          >
            Edit
          </button>
          <button
            type="button"
            className="dsp-button dsp-button-small"
            onClick={toggleArchived}
            disabled={busy}
            aria-label={`${item.archived ? 'Bring back' : 'Archive'} ${item.name}`}
          >
            {item.archived ? 'Unarchive' : 'Archive'}
          </button>
        </span>
        {error ? (
          <span className="dsp-error" role="alert">
            {error}
          </span>
        ) : null}
      </td>
    </tr>
  );
}

/** One item edited in its row; Save sends only what changed. */
function EditRow({ item, onDone }: { item: Item; onDone: () => void }) {
  const client = useFieldsync();
  const { run, error, busy } = useAction('computer');
  const [typed, setTyped] = useState<PriceListTyped>(() => priceListTyped(item));
  const [issues, setIssues] = useState<PriceListIssues>({});
  const id = useId();

  const save = async () => {
    const change = priceListItemChange(item, typed);
    if (change.kind === 'invalid') {
      setIssues(change.issues);
      return;
    }
    setIssues({});
    if (change.kind === 'unchanged') {
      onDone();
      return;
    }
    const ok = await run(() =>
      client.mutate('priceListItem.update', { id: item.id, patch: change.patch, base: change.base }),
    );
    if (ok) onDone();
  };

  const { field, problem } = fieldWiring(id, issues, 'span');
  const control = (name: keyof PriceListTyped, label: string) => ({
    ...field(name),
    'aria-label': `${label} of ${item.name}`,
  });

  return (
    <tr
      onKeyDown={(event) => {
        if (event.key === 'Escape') onDone();
        if (event.key === 'Enter' && (event.target as HTMLElement).tagName === 'INPUT') void save();
      }}
    >
      <td className="est-row-title">
        <input
          {...control('name', 'Name')}
          value={typed.name}
          onChange={(event) => setTyped({ ...typed, name: event.target.value })}
        />
        {problem('name')}
      </td>
      <td data-label="Kind">
        <select
          {...control('kind', 'Kind')}
          value={typed.kind}
          onChange={(event) => setTyped({ ...typed, kind: event.target.value as PriceListTyped['kind'] })}
        >
          {ESTIMATE_LINE_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {LINE_KIND_LABEL[kind]}
            </option>
          ))}
        </select>
        {problem('kind')}
      </td>
      <td data-label="Unit">
        <input
          {...control('unit', 'Unit')}
          value={typed.unit}
          onChange={(event) => setTyped({ ...typed, unit: event.target.value })}
        />
        {problem('unit')}
      </td>
      <td data-label="Unit price" className="est-num">
        <input
          {...control('unitPrice', 'Unit price')}
          inputMode="decimal"
          value={typed.unitPrice}
          onChange={(event) => setTyped({ ...typed, unitPrice: event.target.value })}
        />
        {problem('unitPrice')}
      </td>
      <td>
        <span className="est-row-actions">
          <button
            type="button"
            className="dsp-button dsp-button-primary dsp-button-small"
            onClick={save}
            disabled={busy}
          >
            Save
          </button>
          <button type="button" className="dsp-button dsp-button-small" onClick={onDone}>
            Cancel
          </button>
        </span>
        {issues[''] || error ? (
          <span className="dsp-error" role="alert">
            {issues[''] ?? error}
          </span>
        ) : null}
      </td>
    </tr>
  );
}

function AddItemForm({ currency }: { currency: string }) {
  const client = useFieldsync();
  const { run, error, busy } = useAction('computer');
  const [typed, setTyped] = useState<PriceListTyped>(EMPTY_PRICE_LIST_TYPED);
  const [issues, setIssues] = useState<PriceListIssues>({});
  const [added, setAdded] = useState<string | null>(null);
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAdded(null);
    const result = priceListCreateArgs(newId(), typed);
    if (!result.ok) {
      setIssues(result.issues);
      return;
    }
    setIssues({});
    if (await run(() => client.mutate('priceListItem.create', result.args))) {
      setAdded(result.args.name);
      setTyped({ ...EMPTY_PRICE_LIST_TYPED, kind: typed.kind });
    }
  };

  const { field, problem } = fieldWiring(id, issues, 'p');

  return (
    <form className="est-add-form" onSubmit={submit} noValidate aria-label="Add an item to the price list">
      <div className="dsp-field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          {...field('name')}
          placeholder="e.g. Tiling labor"
          value={typed.name}
          onChange={(event) => setTyped({ ...typed, name: event.target.value })}
        />
        {problem('name')}
      </div>
      <div className="dsp-field">
        <label htmlFor={`${id}-kind`}>Kind</label>
        <select
          {...field('kind')}
          value={typed.kind}
          onChange={(event) => setTyped({ ...typed, kind: event.target.value as PriceListTyped['kind'] })}
        >
          {ESTIMATE_LINE_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {LINE_KIND_LABEL[kind]}
            </option>
          ))}
        </select>
        {problem('kind')}
      </div>
      <div className="dsp-field">
        <label htmlFor={`${id}-unit`}>Unit</label>
        <input
          {...field('unit')}
          placeholder="hour, sq ft, bag"
          value={typed.unit}
          onChange={(event) => setTyped({ ...typed, unit: event.target.value })}
        />
        {problem('unit')}
      </div>
      <div className="dsp-field">
        <label htmlFor={`${id}-unitPrice`}>Unit price ({currency})</label>
        <input
          {...field('unitPrice')}
          inputMode="decimal"
          placeholder="e.g. 65.00"
          value={typed.unitPrice}
          onChange={(event) => setTyped({ ...typed, unitPrice: event.target.value })}
        />
        {problem('unitPrice')}
      </div>
      <button type="submit" className="dsp-button dsp-button-primary" disabled={busy}>
        Add item
      </button>
      {issues[''] || error ? (
        <p className="dsp-form-error" role="alert">
          {issues[''] ?? error}
        </p>
      ) : null}
      {added ? (
        <p className="dsp-ok est-add-note" role="status">
          Added “{added}”.
        </p>
      ) : null}
    </form>
  );
}

/**
 * Ids and ARIA wiring of a price-list form's fields and their problems: each
 * field is described by its problem, shown in `tag` (a `span` in a table cell).
 */
function fieldWiring(id: string, issues: PriceListIssues, tag: 'p' | 'span') {
  const Problem = tag;
  return {
    field: (name: keyof PriceListTyped) => ({
      id: `${id}-${name}`,
      'aria-invalid': Boolean(issues[name]),
      'aria-describedby': issues[name] ? `${id}-${name}-error` : undefined,
    }),
    problem: (name: keyof PriceListTyped) =>
      issues[name] ? (
        <Problem id={`${id}-${name}-error`} className="dsp-error" role="alert">
          {issues[name]}
        </Problem>
      ) : null,
  };
}
