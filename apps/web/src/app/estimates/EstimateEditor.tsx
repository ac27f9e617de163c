import {
  checkEstimateEditable,
  ESTIMATE_LINE_KINDS,
  type EstimateLineKind,
  formatCents,
  type PriceListItem,
  suggestPriceListItems,
  TEXT_LIMITS,
} from '@fieldsync/domain';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import type { FieldsyncClient, LocalRow } from '../../sync';
import { useLiveQuery } from '../../sync/react';
import { addDays, todayIn } from '../shell/format';
import { useAction } from '../shell/use-action';
import { argsProblems } from '../shell/validate-args';
import {
  applyPriceListItem,
  COMMON_UNITS,
  changeLineKind,
  checkDraft,
  createArgs,
  DEFAULT_VALID_DAYS,
  type DraftProblems,
  draftFromEstimate,
  draftTotals,
  duplicateLine,
  type EstimateDraft,
  emptyLine,
  type LineDraft,
  type LineField,
  lineProblemKey,
  moveLine,
  newDraft,
  removeLine,
  updateArgs,
} from './estimate-draft';
import { LINE_KIND_LABEL, taxRateText } from './estimate-words';
import './estimates.css';

type LocalEstimate = LocalRow<'estimates'>;

/** The currency's own sign ("$", "€") for labels; the code when the runtime has none. */
function currencySymbol(currency: string): string {
  try {
    const parts = new Intl.NumberFormat(undefined, { style: 'currency', currency }).formatToParts(0);
    return parts.find((part) => part.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}

/**
 * Writes a new estimate or revises a draft: lines with price-list
 * suggestions, the tax rate, how long the price holds and notes, with
 * running totals by the domain's arithmetic. Queues `estimate.create` or
 * `estimate.update` (only the changed fields) and calls `onSaved`; works
 * offline. Used by the contractor's phone and the office alike.
 */
export function EstimateEditor(props: {
  client: FieldsyncClient;
  estimate?: LocalRow<'estimates'>;
  customerId: string;
  jobId?: string | null;
  onSaved(estimateId: string): void;
  onCancel(): void;
}) {
  const { client } = props;
  const db = client.db;
  const organization = useLiveQuery(async () => (await db.organizations.toCollection().first()) ?? null, [db]);
  const customer = useLiveQuery(async () => (await db.customers.get(props.customerId)) ?? null, [db, props.customerId]);
  // The job this estimate may price: the one it was started from, or the one it already prices.
  const offeredJobId = props.jobId ?? props.estimate?.jobId ?? null;
  const job = useLiveQuery(
    async () => (offeredJobId ? ((await db.jobs.get(offeredJobId)) ?? null) : null),
    [db, offeredJobId],
  );

  if (organization === undefined || customer === undefined || job === undefined) {
    return (
      <p className="es-empty" aria-busy="true">
        Opening the estimate…
      </p>
    );
  }
  if (props.estimate) {
    const editable = checkEstimateEditable(props.estimate.status);
    if (!editable.ok) {
      return (
        <div className="es-panel" role="note">
          <p>{editable.message}</p>
          <button type="button" className="fs-button fs-button--secondary" onClick={props.onCancel}>
            Back
          </button>
        </div>
      );
    }
  }
  return (
    <EditorForm
      {...props}
      organization={organization}
      customerName={customer?.name ?? null}
      offeredJob={offeredJobId ? { id: offeredJobId, title: job?.title ?? null } : null}
    />
  );
}

function EditorForm(props: {
  client: FieldsyncClient;
  estimate?: LocalEstimate;
  customerId: string;
  onSaved(estimateId: string): void;
  onCancel(): void;
  organization: { timeZone: string; currency: string; taxRateBasisPoints: number } | null;
  customerName: string | null;
  offeredJob: { id: string; title: string | null } | null;
}) {
  const { client, organization, offeredJob } = props;
  const device = client.session?.user.role === 'contractor' ? 'phone' : 'computer';
  const { run, error, issues, busy } = useAction(device);
  const uid = useId();
  const timeZone = organization?.timeZone ?? client.session?.user.timeZone ?? 'UTC';
  const today = todayIn({ timeZone });
  const currency = props.estimate?.currency ?? organization?.currency ?? 'USD';
  const companyRate = organization?.taxRateBasisPoints ?? 0;
  // What the device saw when editing began: the `base` of the update.
  const [saved] = useState(props.estimate);
  const [draft, setDraft] = useState<EstimateDraft>(() =>
    saved
      ? draftFromEstimate(saved)
      : newDraft({
          lineId: crypto.randomUUID(),
          taxRateBasisPoints: companyRate,
          validUntil: addDays(today, DEFAULT_VALID_DAYS),
          forJob: offeredJob !== null,
        }),
  );
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [removed, setRemoved] = useState<{ line: LineDraft; index: number } | null>(null);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const [schemaProblems, setSchemaProblems] = useState<DraftProblems>({});

  const priceList = useLiveQuery(
    async () => (await client.db.priceListItems.toArray()).filter((item) => !item.deletedAt),
    [client],
  );

  const checked = useMemo(
    () => checkDraft(draft, { today, savedValidUntil: saved?.validUntil }),
    [draft, today, saved?.validUntil],
  );
  const totals = useMemo(() => draftTotals(draft), [draft]);
  const problems = { ...checked.problems, ...schemaProblems };
  const shown = (key: string) => (submitted || touched.has(key) ? problems[key] : undefined);
  const touch = (key: string) => setTouched((current) => (current.has(key) ? current : new Set(current).add(key)));
  const fieldId = (key: string) => `${uid}-${key}`;

  useEffect(() => {
    if (!focusTarget) return;
    document.getElementById(focusTarget)?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const update = (change: Partial<EstimateDraft>) => {
    setSchemaProblems({});
    setDraft((current) => ({ ...current, ...change }));
  };
  const updateLine = (lineId: string, change: (line: LineDraft) => LineDraft) => {
    setSchemaProblems({});
    setDraft((current) => ({
      ...current,
      lines: current.lines.map((line) => (line.id === lineId ? change(line) : line)),
    }));
  };

  function addLine() {
    const last = draft.lines[draft.lines.length - 1];
    const line = emptyLine(crypto.randomUUID(), last?.kind ?? 'labor');
    update({ lines: [...draft.lines, line] });
    setRemoved(null);
    setAnnouncement(`Line ${draft.lines.length + 1} added.`);
    setFocusTarget(fieldId(lineProblemKey(line.id, 'description')));
  }

  function move(index: number, delta: -1 | 1) {
    const line = draft.lines[index];
    if (!line) return;
    const lines = moveLine(draft.lines, index, delta);
    const position = index + delta;
    update({ lines });
    setAnnouncement(`Line moved to position ${position + 1} of ${lines.length}.`);
    // Keep focus on the button pressed; at either end that button is disabled, so the other one takes it.
    const atEnd = (delta < 0 && position === 0) || (delta > 0 && position === lines.length - 1);
    const button = atEnd ? (delta < 0 ? 'down' : 'up') : delta < 0 ? 'up' : 'down';
    setFocusTarget(fieldId(`line:${line.id}:${button}`));
  }

  function duplicate(index: number) {
    const copy = crypto.randomUUID();
    update({ lines: duplicateLine(draft.lines, index, copy) });
    setAnnouncement(`Line ${index + 1} duplicated as line ${index + 2}.`);
    setFocusTarget(fieldId(lineProblemKey(copy, 'description')));
  }

  function remove(index: number) {
    const line = draft.lines[index];
    if (!line) return;
    update({ lines: removeLine(draft.lines, line.id) });
    setRemoved({ line, index });
    setFocusTarget(`${uid}-undo`);
  }

  function undoRemove() {
    if (!removed) return;
    const lines = [...draft.lines];
    lines.splice(Math.min(removed.index, lines.length), 0, removed.line);
    update({ lines });
    setRemoved(null);
    setAnnouncement(`Line ${removed.index + 1} is back.`);
    setFocusTarget(fieldId(lineProblemKey(removed.line.id, 'description')));
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    const { values } = checked;
    if (!values) {
      const first = Object.keys(checked.problems)[0];
      if (first) setFocusTarget(first === 'lines' ? `${uid}-add-line` : fieldId(first));
      return;
    }
    const jobId = offeredJob && draft.forJob ? offeredJob.id : null;
    if (!saved) {
      const args = createArgs(values, { id: crypto.randomUUID(), customerId: props.customerId, jobId });
      // The server's own rules (characters it cannot store, …), before anything is queued.
      const found = argsProblems('estimate.create', args);
      if (found) {
        setSchemaProblems({ form: Object.values(found).join(' ') });
        return;
      }
      if (await run(() => client.mutate('estimate.create', args))) props.onSaved(args.id);
      return;
    }
    const args = updateArgs(saved, values, jobId);
    if (!args) {
      props.onSaved(saved.id);
      return;
    }
    const found = argsProblems('estimate.update', args);
    if (found) {
      setSchemaProblems({ form: Object.values(found).join(' ') });
      return;
    }
    if (await run(() => client.mutate('estimate.update', args))) props.onSaved(saved.id);
  }

  const problemCount = Object.keys(checked.problems).length;
  const formProblem = schemaProblems.form ?? error ?? Object.values(issues)[0] ?? null;
  const symbol = currencySymbol(currency);
  const money = (cents: number) => formatCents(cents, currency);

  const fieldProps = (key: string) => ({
    id: fieldId(key),
    'aria-invalid': shown(key) ? true : undefined,
    'aria-describedby': shown(key) ? `${fieldId(key)}-problem` : undefined,
    onBlur: () => touch(key),
  });
  const problemText = (key: string) =>
    shown(key) ? (
      <p id={`${fieldId(key)}-problem`} className="fs-error">
        {shown(key)}
      </p>
    ) : null;

  return (
    <form className="es-editor" noValidate onSubmit={(event) => void save(event)} aria-label="Estimate">
      <div className="es-editor__main">
        <div className="es-panel">
          {props.customerName ? (
            <p className="es-editor__for">
              For <strong>{props.customerName}</strong>
            </p>
          ) : null}
          <div className="fs-field">
            <label htmlFor={fieldId('title')}>Title</label>
            <input
              {...fieldProps('title')}
              className="fs-input"
              autoComplete="off"
              maxLength={TEXT_LIMITS.name}
              placeholder="e.g. Kitchen floor"
              value={draft.title}
              onChange={(event) => update({ title: event.target.value })}
            />
            {problemText('title')}
          </div>
          {offeredJob ? (
            <div className="es-check">
              <input
                id={fieldId('forJob')}
                type="checkbox"
                className="es-check__box"
                checked={draft.forJob}
                aria-describedby={`${fieldId('forJob')}-hint`}
                onChange={(event) => update({ forJob: event.target.checked })}
              />
              <label htmlFor={fieldId('forJob')}>
                This job{offeredJob.title ? `: ${offeredJob.title}` : ''}
                <span id={`${fieldId('forJob')}-hint`} className="es-check__hint">
                  {draft.forJob
                    ? 'The estimate prices this job.'
                    : `The estimate is for new work${props.customerName ? ` for ${props.customerName}` : ''}; accepting it makes a new job.`}
                </span>
              </label>
            </div>
          ) : null}
        </div>

        <section className="es-panel" aria-labelledby={`${uid}-lines-title`}>
          <h2 id={`${uid}-lines-title`}>Lines</h2>
          {draft.lines.length ? (
            <ol className="es-lines">
              {draft.lines.map((line, index) => (
                <LineEditor
                  key={line.id}
                  line={line}
                  index={index}
                  count={draft.lines.length}
                  totalCents={totals.lineTotalsCents[index] ?? null}
                  money={money}
                  symbol={symbol}
                  priceList={priceList ?? []}
                  fieldId={(field) =>
                    fieldId(field === 'kind' ? `line:${line.id}:kind` : lineProblemKey(line.id, field))
                  }
                  buttonId={(button) => fieldId(`line:${line.id}:${button}`)}
                  problem={(field) => shown(lineProblemKey(line.id, field))}
                  onTouch={(field) => touch(lineProblemKey(line.id, field))}
                  onChange={(change) => updateLine(line.id, change)}
                  onPicked={(name) => setAnnouncement(`${name} from the price list.`)}
                  onMove={(delta) => move(index, delta)}
                  onDuplicate={() => duplicate(index)}
                  onRemove={() => remove(index)}
                />
              ))}
            </ol>
          ) : (
            <p className="fs-muted">No lines yet.</p>
          )}
          {removed ? (
            <div className="es-undo">
              <p>
                Removed {removed.line.description.trim() ? `“${removed.line.description.trim()}”` : 'an empty line'}.
              </p>
              <button
                id={`${uid}-undo`}
                type="button"
                className="fs-button fs-button--secondary fs-button--small"
                onClick={undoRemove}
              >
                Undo
              </button>
            </div>
          ) : null}
          {shown('lines') ? (
            <p id={`${uid}-lines-problem`} className="fs-error">
              {shown('lines')}
            </p>
          ) : null}
          <button
            id={`${uid}-add-line`}
            type="button"
            className="fs-button fs-button--secondary fs-button--block"
            onClick={addLine}
          >
            Add line
          </button>
          <p className="fs-sr-only" aria-live="polite">
            {announcement}
          </p>
        </section>

        <div className="es-panel">
          <div className="es-terms">
            <div className="fs-field">
              <label htmlFor={fieldId('taxRate')}>Tax rate (%)</label>
              <input
                {...fieldProps('taxRate')}
                aria-describedby={
                  [shown('taxRate') ? `${fieldId('taxRate')}-problem` : '', `${fieldId('taxRate')}-hint`]
                    .filter(Boolean)
                    .join(' ') || undefined
                }
                className="fs-input"
                inputMode="decimal"
                autoComplete="off"
                value={draft.taxRate}
                onChange={(event) => update({ taxRate: event.target.value })}
              />
              <span id={`${fieldId('taxRate')}-hint`} className="es-hint">
                The company’s rate is {taxRateText(companyRate)}.
              </span>
              {problemText('taxRate')}
            </div>
            <div className="fs-field">
              <label htmlFor={fieldId('validUntil')}>Valid until</label>
              <input
                {...fieldProps('validUntil')}
                className="fs-input"
                type="date"
                min={today}
                value={draft.validUntil}
                onChange={(event) => {
                  update({ validUntil: event.target.value });
                  touch('validUntil');
                }}
              />
              {problemText('validUntil')}
            </div>
          </div>
          <div className="fs-field">
            <label htmlFor={fieldId('notes')}>Notes for the customer (optional)</label>
            <textarea
              {...fieldProps('notes')}
              className="fs-input"
              rows={3}
              value={draft.notes}
              onChange={(event) => update({ notes: event.target.value })}
            />
            {problemText('notes')}
          </div>
        </div>
      </div>

      <aside className="es-editor__side" aria-label="Totals">
        <dl className="es-totals">
          <div className="es-totals__row es-totals__row--minor">
            <dt>Subtotal</dt>
            <dd>{money(totals.subtotalCents)}</dd>
          </div>
          <div className="es-totals__row es-totals__row--minor">
            <dt>Tax</dt>
            <dd>{money(totals.taxCents)}</dd>
          </div>
          <div className="es-totals__row es-totals__row--total">
            <dt>Total</dt>
            <dd>{money(totals.totalCents)}</dd>
          </div>
        </dl>
        {!totals.complete ? <p className="es-hint">Lines still missing a number are not counted yet.</p> : null}
        {submitted && problemCount > 0 ? (
          <p className="fs-error" role="alert">
            {problemCount === 1
              ? 'Fix the problem marked above to save.'
              : `Fix the ${problemCount} problems marked above to save.`}
          </p>
        ) : null}
        {formProblem ? (
          <p className="fs-error" role="alert">
            {formProblem}
          </p>
        ) : null}
        <div className="es-editor__buttons">
          <button type="submit" className="fs-button fs-button--primary" disabled={busy}>
            {saved ? 'Save changes' : 'Save estimate'}
          </button>
          <button type="button" className="fs-button fs-button--secondary" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </aside>
    </form>
  );
}

function LineEditor(props: {
  line: LineDraft;
  index: number;
  count: number;
  totalCents: number | null;
  money: (cents: number) => string;
  symbol: string;
  priceList: readonly PriceListItem[];
  fieldId: (field: LineField | 'kind') => string;
  buttonId: (button: 'up' | 'down') => string;
  problem: (field: LineField) => string | undefined;
  onTouch: (field: LineField) => void;
  onChange: (change: (line: LineDraft) => LineDraft) => void;
  onPicked: (name: string) => void;
  onMove: (delta: -1 | 1) => void;
  onDuplicate: () => void;
  onRemove: () => void;
}) {
  const { line, index, count } = props;
  const number = index + 1;
  const legendId = `${props.fieldId('kind')}-legend`;
  const input = (field: LineField) => ({
    id: props.fieldId(field),
    'aria-invalid': props.problem(field) ? true : undefined,
    'aria-describedby': props.problem(field) ? `${props.fieldId(field)}-problem` : undefined,
    onBlur: () => props.onTouch(field),
  });
  const problem = (field: LineField) =>
    props.problem(field) ? (
      <p id={`${props.fieldId(field)}-problem`} className="fs-error">
        {props.problem(field)}
      </p>
    ) : null;
  const named = line.description.trim() ? `line ${number}, ${line.description.trim()}` : `line ${number}`;

  return (
    <li className="es-line" data-line-id={line.id}>
      <fieldset className="es-line__fields" aria-labelledby={legendId}>
        <legend id={legendId} className="es-line__legend">
          Line {number}
        </legend>
        <div className="es-line__grid">
          <div className="fs-field es-line__kind">
            <label htmlFor={props.fieldId('kind')}>Kind</label>
            <select
              id={props.fieldId('kind')}
              className="fs-input"
              value={line.kind}
              onChange={(event) =>
                props.onChange((current) => changeLineKind(current, event.target.value as EstimateLineKind))
              }
            >
              {ESTIMATE_LINE_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {LINE_KIND_LABEL[kind]}
                </option>
              ))}
            </select>
          </div>
          <div className="fs-field es-line__description">
            <label htmlFor={props.fieldId('description')}>Description</label>
            <DescriptionField
              {...input('description')}
              value={line.description}
              priceList={props.priceList}
              money={props.money}
              onChange={(description) => props.onChange((current) => ({ ...current, description }))}
              onPick={(item) => {
                props.onChange((current) => applyPriceListItem(current, item));
                props.onPicked(item.name);
              }}
            />
            {problem('description')}
          </div>
          <div className="fs-field">
            <label htmlFor={props.fieldId('quantity')}>Quantity</label>
            <input
              {...input('quantity')}
              className="fs-input"
              inputMode="decimal"
              autoComplete="off"
              value={line.quantity}
              onChange={(event) => props.onChange((current) => ({ ...current, quantity: event.target.value }))}
            />
            {problem('quantity')}
          </div>
          <div className="fs-field">
            <label htmlFor={props.fieldId('unit')}>Unit</label>
            <input
              {...input('unit')}
              className="fs-input"
              list={`${props.fieldId('unit')}-options`}
              autoComplete="off"
              maxLength={TEXT_LIMITS.label}
              value={line.unit}
              onChange={(event) => props.onChange((current) => ({ ...current, unit: event.target.value }))}
            />
            <datalist id={`${props.fieldId('unit')}-options`}>
              {COMMON_UNITS.map((unit) => (
                <option key={unit} value={unit} />
              ))}
            </datalist>
            {problem('unit')}
          </div>
          <div className="fs-field">
            <label htmlFor={props.fieldId('unitPrice')}>Unit price ({props.symbol})</label>
            <input
              {...input('unitPrice')}
              className="fs-input"
              inputMode="decimal"
              autoComplete="off"
              placeholder="0.00"
              value={line.unitPrice}
              onChange={(event) => props.onChange((current) => ({ ...current, unitPrice: event.target.value }))}
            />
            {problem('unitPrice')}
          </div>
          <div className="es-line__total">
            <span className="es-line__total-label">Line total</span>
            <output htmlFor={`${props.fieldId('quantity')} ${props.fieldId('unitPrice')}`}>
              {props.totalCents === null ? '—' : props.money(props.totalCents)}
            </output>
          </div>
        </div>
        <div className="es-line__actions">
          <button
            id={props.buttonId('up')}
            type="button"
            className="fs-button fs-button--ghost fs-button--small"
            disabled={index === 0}
            aria-label={`Move ${named} up`}
            onClick={() => props.onMove(-1)}
          >
            ↑ Up
          </button>
          <button
            id={props.buttonId('down')}
            type="button"
            className="fs-button fs-button--ghost fs-button--small"
            disabled={index === count - 1}
            aria-label={`Move ${named} down`}
            onClick={() => props.onMove(1)}
          >
            ↓ Down
          </button>
          <button
            type="button"
            className="fs-button fs-button--ghost fs-button--small"
            aria-label={`Duplicate ${named}`}
            onClick={props.onDuplicate}
          >
            Duplicate
          </button>
          <button
            type="button"
            className="fs-button fs-button--ghost fs-button--small es-line__remove"
            aria-label={`Remove ${named}`}
            onClick={props.onRemove}
          >
            Remove
          </button>
        </div>
      </fieldset>
    </li>
  );
}

/**
 * The description as a combobox: price-list items whose name starts a word
 * with what is typed are offered below it (arrow keys and Enter, or a tap).
 * Anything else may be typed too.
 */
function DescriptionField(props: {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
  onBlur: () => void;
  value: string;
  priceList: readonly PriceListItem[];
  money: (cents: number) => string;
  onChange: (value: string) => void;
  onPick: (item: PriceListItem) => void;
}) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = `${props.id}-suggestions`;
  const suggestions = useMemo(
    () =>
      open
        ? suggestPriceListItems(props.priceList, props.value).filter(
            // Once picked (the name is the whole description), it is not offered again.
            (item) => item.name !== props.value.trim(),
          )
        : [],
    [open, props.priceList, props.value],
  );
  const expanded = suggestions.length > 0;

  function pick(item: PriceListItem) {
    props.onPick(item);
    setOpen(false);
    setActive(-1);
  }

  return (
    <div className="es-combo">
      <input
        id={props.id}
        className="fs-input"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={props['aria-invalid']}
        aria-describedby={props['aria-describedby']}
        autoComplete="off"
        maxLength={TEXT_LIMITS.name}
        value={props.value}
        onChange={(event) => {
          props.onChange(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onBlur={() => {
          setOpen(false);
          props.onBlur();
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
            setActive((current) => Math.min(current + 1, suggestions.length - 1));
          } else if (event.key === 'ArrowUp' && expanded) {
            event.preventDefault();
            setActive((current) => Math.max(current - 1, -1));
          } else if (event.key === 'Enter' && expanded && active >= 0) {
            event.preventDefault();
            const item = suggestions[active];
            if (item) pick(item);
          } else if (event.key === 'Escape' && expanded) {
            // Closes the list only, not a dialog around the editor.
            event.preventDefault();
            event.stopPropagation();
            setOpen(false);
            setActive(-1);
          }
        }}
      />
      <div id={listId} role="listbox" aria-label="From the price list" className="es-combo__list" hidden={!expanded}>
        {suggestions.map((item, index) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard works through the input (arrows and Enter), as a combobox does.
          <div
            key={item.id}
            id={`${listId}-${index}`}
            role="option"
            // Reachable by the arrow keys through the input (aria-activedescendant), not by Tab.
            tabIndex={-1}
            aria-selected={index === active}
            className="es-combo__option"
            // Keeps focus in the input, so the tap picks before the list closes on blur.
            onPointerDown={(event) => event.preventDefault()}
            onClick={() => pick(item)}
          >
            <span className="es-combo__name">{item.name}</span>
            <span className="es-combo__price">
              {props.money(item.unitPriceCents)} / {item.unit} · {LINE_KIND_LABEL[item.kind]}
            </span>
          </div>
        ))}
      </div>
      <span className="fs-sr-only" aria-live="polite">
        {expanded ? `${suggestions.length} from the price list. Use the arrow keys to choose.` : ''}
      </span>
    </div>
  );
}
