import { buildShoppingList, SHOPPING_LIST_DAYS, type ShoppingLine } from '@fieldsync/domain';
import { useId, useRef, useState } from 'react';
import { MutationRefusedError } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { jobHref, useScreenFocus } from '../router';
import { addDays, formatDayLabel, formatLocalDate, plural, todayIn } from '../shell/format';
import { useOrganization } from '../shell/use-organization';
import './shopping-list.css';

const quantityFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** The list's rows from this phone's copy; undefined while loading. */
function useShoppingList(contractorId: string | null | undefined, timeZone: string, today: string) {
  const { db } = useFieldsync();
  return useLiveQuery(async () => {
    if (!contractorId)
      return contractorId === null ? { toBuy: [], bought: [], pendingIds: new Set<string>() } : undefined;
    const assignments = await db.assignments.where('contractorId').equals(contractorId).toArray();
    const jobIds = [...new Set(assignments.map((assignment) => assignment.jobId))];
    const [jobs, materials] = await Promise.all([
      db.jobs.bulkGet(jobIds),
      db.materials.where('jobId').anyOf(jobIds).toArray(),
    ]);
    const list = buildShoppingList({
      materials,
      assignments,
      jobs: jobs.filter((job) => job !== undefined),
      contractorId,
      timeZone,
      today,
    });
    const pendingIds = new Set(materials.filter((row) => row._pendingSeq !== undefined).map((row) => row.id));
    return { ...list, pendingIds };
  }, [contractorId, timeZone, today]);
}

function ShoppingLineItem(props: { line: ShoppingLine; today: string; pending: boolean }) {
  const { line, today } = props;
  const client = useFieldsync();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  /** One `material.setPurchased` per row behind the line, each queued on its own (works offline). */
  async function tick(purchased: boolean) {
    setBusy(true);
    setProblem(null);
    const refusals: string[] = [];
    for (const materialId of line.materialIds) {
      try {
        await client.mutate('material.setPurchased', { id: materialId, purchased });
      } catch (error) {
        refusals.push(
          error instanceof MutationRefusedError ? error.message : 'That change could not be saved on this phone.',
        );
      }
    }
    setBusy(false);
    if (refusals.length > 0) {
      const done = line.materialIds.length - refusals.length;
      setProblem(
        `${done} of ${plural(line.materialIds.length, 'item')} ${purchased ? 'ticked' : 'unticked'}. ${refusals[0]}`,
      );
    }
  }

  const amount = `${quantityFormat.format(line.quantity)} ${line.unit}`;
  return (
    <li className={`ct-shop-line${line.bought ? ' ct-shop-line--bought' : ''}`}>
      <div className="ct-shop-line__main">
        <input
          id={`${id}-tick`}
          type="checkbox"
          className="ct-check ct-shop-line__check"
          checked={line.bought}
          disabled={busy}
          aria-describedby={`${id}-jobs`}
          onChange={(event) => void tick(event.target.checked)}
        />
        <label htmlFor={`${id}-tick`} className="ct-shop-line__label">
          <span className="ct-shop-line__qty">{amount}</span>
          <span className="ct-shop-line__item">{line.itemName}</span>
          {props.pending ? <span className="ct-badge ct-badge--pending">Not sent yet</span> : null}
        </label>
      </div>
      <ul id={`${id}-jobs`} className="ct-shop-line__jobs" aria-label={`Needed for ${plural(line.jobs.length, 'job')}`}>
        {line.jobs.map((job) => (
          <li key={job.jobId}>
            <a href={jobHref(job.jobId)}>
              {job.jobNumber ? `${job.jobNumber} ` : ''}
              {job.title}
            </a>
            <span className="fs-muted">
              {' · '}
              {job.date < today ? 'in progress' : formatDayLabel(job.date, today)}
              {line.jobs.length > 1 ? ` · ${quantityFormat.format(job.quantity)} ${line.unit}` : ''}
            </span>
          </li>
        ))}
      </ul>
      {problem ? (
        <p className="fs-error" role="alert">
          {problem}
        </p>
      ) : null}
    </li>
  );
}

/**
 * What to buy for today's and the next six days' jobs, one line per item
 * and unit across jobs. Ticking a line ticks every material behind it (each
 * its own change, so it works offline); ticked lines move to "Bought".
 */
export function ShoppingListScreen({ contractorId }: { contractorId: string | null | undefined }) {
  const clock = useOrganization();
  const today = todayIn(clock);
  const last = addDays(today, SHOPPING_LIST_DAYS - 1);
  const list = useShoppingList(contractorId, clock.timeZone, today);
  const heading = useRef<HTMLHeadingElement>(null);
  useScreenFocus('shopping', heading);
  const pendingOf = (line: ShoppingLine) => line.materialIds.some((id) => list?.pendingIds.has(id));

  return (
    <div className="ct-screen ct-shop">
      <header className="ct-shop__head">
        <h1 ref={heading} tabIndex={-1}>
          Shopping list
        </h1>
        <p className="fs-muted">
          For today and the next {SHOPPING_LIST_DAYS - 1} days ({formatLocalDate(today)} – {formatLocalDate(last)}), and
          jobs already under way.
        </p>
      </header>

      {list === undefined ? (
        <p className="ct-empty" aria-busy="true">
          Loading your materials…
        </p>
      ) : null}
      {list && list.toBuy.length === 0 && list.bought.length === 0 ? (
        <p className="ct-empty">Nothing to buy for today and the next days.</p>
      ) : null}

      {list && (list.toBuy.length > 0 || list.bought.length > 0) ? (
        <section className="ct-panel" aria-labelledby="ct-shop-to-buy">
          <h2 id="ct-shop-to-buy">
            To buy <span className="fs-muted">· {plural(list.toBuy.length, 'item')}</span>
          </h2>
          {list.toBuy.length === 0 ? <p className="fs-muted">Everything is bought.</p> : null}
          <ul className="ct-shop-lines">
            {list.toBuy.map((line) => (
              <ShoppingLineItem key={`to-buy:${line.key}`} line={line} today={today} pending={pendingOf(line)} />
            ))}
          </ul>
        </section>
      ) : null}

      {list && list.bought.length > 0 ? (
        <section className="ct-panel" aria-labelledby="ct-shop-bought">
          <h2 id="ct-shop-bought">
            Bought <span className="fs-muted">· {plural(list.bought.length, 'item')}</span>
          </h2>
          <ul className="ct-shop-lines">
            {list.bought.map((line) => (
              <ShoppingLineItem key={`bought:${line.key}`} line={line} today={today} pending={pendingOf(line)} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
