import { type FormEvent, useId, useState } from 'react';
import { type LocalRow, newId } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { compareInstants, plural } from '../shell/format';
import { useAction } from '../shell/use-action';
import { argsProblems } from '../shell/validate-args';
import { LateWorkMark } from './LateWorkMark';

type LocalMaterial = LocalRow<'materials'>;

const COMMON_UNITS = ['piece', 'box', 'bag', 'roll', 'sheet', 'sq ft', 'sq yd', 'ft', 'gal', 'bucket'];

/** A positive number from a text field ("2", "2.5", "2,5"), or null. */
function parseQuantity(text: string): number | null {
  const value = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(value) && value > 0 ? value : null;
}

function formatQuantity(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

function MaterialRow({ material, canEdit }: { material: LocalMaterial; canEdit: boolean }) {
  const client = useFieldsync();
  const { run, error, busy } = useAction();
  const [mode, setMode] = useState<'view' | 'edit' | 'remove'>('view');
  const [quantity, setQuantity] = useState(formatQuantity(material.quantity));
  const [quantityError, setQuantityError] = useState<string | null>(null);
  const id = useId();

  async function saveQuantity(event: FormEvent) {
    event.preventDefault();
    const value = parseQuantity(quantity);
    if (value === null) {
      setQuantityError('Enter a quantity above 0.');
      return;
    }
    const found = argsProblems('material.update', {
      id: material.id,
      patch: { quantity: value },
      base: { quantity: material.quantity },
    });
    setQuantityError(found ? (found.quantity ?? Object.values(found)[0] ?? null) : null);
    if (found) return;
    if (
      value === material.quantity ||
      (await run(() => client.mutate('material.update', { id: material.id, patch: { quantity: value } })))
    ) {
      setMode('view');
    }
  }

  const label = `${material.itemName}, ${formatQuantity(material.quantity)} ${material.unit}`;
  return (
    <li className={`ct-material${material.purchased ? ' ct-material--done' : ''}`} data-material-id={material.id}>
      <div className="ct-material__main">
        <input
          id={`${id}-bought`}
          type="checkbox"
          className="ct-check"
          checked={material.purchased}
          disabled={busy || !canEdit}
          onChange={(event) =>
            void run(() => client.mutate('material.setPurchased', { id: material.id, purchased: event.target.checked }))
          }
        />
        <label htmlFor={`${id}-bought`} className="ct-material__label">
          <span className="ct-material__name">{material.itemName}</span>
          <span className="ct-material__qty">
            {formatQuantity(material.quantity)} {material.unit}
            {material.purchased ? ' · bought' : ''}
          </span>
          {material._pendingSeq !== undefined ? <span className="ct-badge ct-badge--pending">Not sent yet</span> : null}
          <LateWorkMark row={material} />
        </label>
        {mode === 'view' && canEdit ? (
          <button
            type="button"
            className="fs-button fs-button--ghost fs-button--small"
            aria-label={`Edit ${material.itemName}`}
            onClick={() => {
              setQuantity(formatQuantity(material.quantity));
              setQuantityError(null);
              setMode('edit');
            }}
          >
            Edit
          </button>
        ) : null}
      </div>
      {mode === 'edit' ? (
        <form className="ct-material__edit" noValidate onSubmit={(event) => void saveQuantity(event)}>
          <div className="ct-material__edit-row">
            <label className="fs-field" htmlFor={`${id}-qty`}>
              Quantity ({material.unit})
            </label>
            <input
              id={`${id}-qty`}
              className="fs-input ct-material__qty-input"
              inputMode="decimal"
              autoComplete="off"
              value={quantity}
              aria-invalid={quantityError ? true : undefined}
              aria-describedby={quantityError ? `${id}-qty-error` : undefined}
              onChange={(event) => setQuantity(event.target.value)}
            />
          </div>
          {quantityError ? (
            <p id={`${id}-qty-error`} className="fs-error">
              {quantityError}
            </p>
          ) : null}
          <div className="fs-row">
            <button type="submit" className="fs-button fs-button--primary" disabled={busy}>
              Save
            </button>
            <button type="button" className="fs-button fs-button--secondary" onClick={() => setMode('view')}>
              Cancel
            </button>
            <button
              type="button"
              className="fs-button fs-button--ghost ct-material__remove"
              onClick={() => setMode('remove')}
            >
              Remove item
            </button>
          </div>
        </form>
      ) : null}
      {mode === 'remove' ? (
        <fieldset className="ct-material__edit ct-fieldset">
          <legend className="ct-material__confirm">Remove {label} from the list?</legend>
          <div className="fs-row">
            <button
              type="button"
              className="fs-button fs-button--danger"
              disabled={busy}
              onClick={() => void run(() => client.mutate('material.remove', { id: material.id }))}
            >
              Remove
            </button>
            <button type="button" className="fs-button fs-button--secondary" onClick={() => setMode('view')}>
              Keep
            </button>
          </div>
        </fieldset>
      ) : null}
      {error ? (
        <p className="fs-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}

function AddMaterialForm({ jobId }: { jobId: string }) {
  const client = useFieldsync();
  const { run, error, busy } = useAction();
  const [itemName, setItemName] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [unit, setUnit] = useState('piece');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = parseQuantity(quantity);
    const args = { id: newId(), jobId, itemName: itemName.trim(), quantity: value ?? 0, unit: unit.trim() };
    // The server's own rules (maximum quantity, lengths, characters it cannot store), before anything is queued.
    const fromSchema = argsProblems('material.add', args) ?? {};
    const found = {
      ...fromSchema,
      ...(itemName.trim() ? {} : { itemName: 'Enter what is needed.' }),
      ...(value === null ? { quantity: 'Enter a quantity above 0.' } : {}),
      ...(unit.trim() ? {} : { unit: 'Enter a unit, e.g. box or sq ft.' }),
    };
    setProblems(found);
    if (Object.keys(found).length || value === null) return;
    const ok = await run(() => client.mutate('material.add', args));
    if (ok) {
      setItemName('');
      setQuantity('1');
    }
  }

  const field = (name: 'itemName' | 'quantity' | 'unit') => ({
    id: `${id}-${name}`,
    'aria-invalid': problems[name] ? true : undefined,
    'aria-describedby': problems[name] ? `${id}-${name}-error` : undefined,
  });
  const problem = (name: 'itemName' | 'quantity' | 'unit') =>
    problems[name] ? (
      <p id={`${id}-${name}-error`} className="fs-error">
        {problems[name]}
      </p>
    ) : null;

  return (
    <form className="ct-add-material" noValidate onSubmit={(event) => void submit(event)} aria-label="Add material">
      <div className="fs-field">
        <label htmlFor={`${id}-itemName`}>Material</label>
        <input
          {...field('itemName')}
          className="fs-input"
          autoComplete="off"
          value={itemName}
          onChange={(event) => setItemName(event.target.value)}
        />
        {problem('itemName')}
      </div>
      <div className="ct-add-material__row">
        <div className="fs-field">
          <label htmlFor={`${id}-quantity`}>Quantity</label>
          <input
            {...field('quantity')}
            className="fs-input"
            inputMode="decimal"
            autoComplete="off"
            value={quantity}
            onChange={(event) => setQuantity(event.target.value)}
          />
          {problem('quantity')}
        </div>
        <div className="fs-field">
          <label htmlFor={`${id}-unit`}>Unit</label>
          <input
            {...field('unit')}
            className="fs-input"
            list={`${id}-units`}
            autoComplete="off"
            value={unit}
            onChange={(event) => setUnit(event.target.value)}
          />
          <datalist id={`${id}-units`}>
            {COMMON_UNITS.map((option) => (
              <option key={option} value={option} />
            ))}
          </datalist>
          {problem('unit')}
        </div>
      </div>
      {Object.entries(problems)
        .filter(([name]) => name !== 'itemName' && name !== 'quantity' && name !== 'unit')
        .map(([name, message]) => (
          <p key={name} className="fs-error">
            {message}
          </p>
        ))}
      {error ? (
        <p className="fs-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="fs-button fs-button--secondary fs-button--block" disabled={busy}>
        Add material
      </button>
    </form>
  );
}

/** The job's materials checklist: tick when bought, fix quantities, add and remove items. */
export function MaterialsSection({ jobId, canEdit }: { jobId: string; canEdit: boolean }) {
  const { db } = useFieldsync();
  const materials = useLiveQuery(
    async () =>
      (await db.materials.where('jobId').equals(jobId).toArray()).sort(
        (a, b) => compareInstants(a.createdAt, b.createdAt) || a.itemName.localeCompare(b.itemName),
      ),
    [jobId],
  );
  const open = materials?.filter((material) => !material.purchased).length ?? 0;
  return (
    <section className="ct-panel" aria-labelledby={`materials-${jobId}`}>
      <h2 id={`materials-${jobId}`}>
        Materials{' '}
        {materials?.length ? (
          <span className="fs-muted">· {open ? `${plural(open, 'item')} to buy` : 'all bought'}</span>
        ) : null}
      </h2>
      {materials === undefined ? <p className="fs-muted">Loading…</p> : null}
      {materials?.length === 0 ? <p className="fs-muted">No materials listed.</p> : null}
      {materials?.length ? (
        <ul className="ct-materials">
          {materials.map((material) => (
            <MaterialRow key={material.id} material={material} canEdit={canEdit} />
          ))}
        </ul>
      ) : null}
      {canEdit ? <AddMaterialForm jobId={jobId} /> : null}
    </section>
  );
}
