import type { ConflictResolution } from '@fieldsync/domain';
import { useMemo, useState } from 'react';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { useOrganization } from '../shell/use-organization';
import { useUsersById } from './dispatcher-data';
import { formatDateTime, formatValue, humanize } from './format';
import { routeHref } from './route';
import { JobNumber } from './ui';

const EMPTY: never[] = [];

/**
 * Every open conflict: the value that won and the one that lost, who wrote
 * each and when, side by side. One click keeps the winner or swaps in the
 * other value (`conflict.resolve`).
 */
export function ConflictInbox() {
  const client = useFieldsync();
  const { db } = client;
  const clock = useOrganization();
  const users = useUsersById();
  const [showResolved, setShowResolved] = useState(false);
  const { run, error } = useAction('computer');
  const conflicts = useLiveQuery(
    () => (showResolved ? db.conflicts.toArray() : db.conflicts.where('status').equals('open').toArray()),
    [db, showResolved],
    EMPTY,
  );
  const jobIds = useMemo(
    () => [...new Set(conflicts.filter((c) => c.entity === 'jobs').map((c) => c.entityId))],
    [conflicts],
  );
  const jobs = useLiveQuery(() => db.jobs.bulkGet(jobIds), [db, jobIds.join(',')], EMPTY);
  const jobById = useMemo(() => new Map(jobs.flatMap((job) => (job ? [[job.id, job] as const] : []))), [jobs]);
  const sorted = useMemo(
    () =>
      [...conflicts].sort(
        (a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1) || b.createdAt.localeCompare(a.createdAt),
      ),
    [conflicts],
  );

  const userName = (id: string | null) => (id ? (users.get(id)?.name ?? 'Someone') : 'Unknown');
  const resolve = (id: string, keep: ConflictResolution) => run(() => client.mutate('conflict.resolve', { id, keep }));
  const openCount = conflicts.filter((c) => c.status === 'open').length;

  return (
    <section className="dsp-page" aria-labelledby="dsp-conflicts-title">
      <header className="dsp-page-head">
        <div>
          <h1 id="dsp-conflicts-title">Conflicts</h1>
          <p className="dsp-muted">
            Two people changed the same field at the same time. The later change was kept; pick the other value if it
            was the right one.
          </p>
        </div>
        <label className="dsp-check">
          <input type="checkbox" checked={showResolved} onChange={(event) => setShowResolved(event.target.checked)} />
          Show resolved
        </label>
      </header>
      {error ? (
        <p className="dsp-notice dsp-notice-error" role="alert">
          {error}
        </p>
      ) : null}
      {openCount === 0 && !showResolved ? (
        <div className="dsp-empty-state">
          <p className="dsp-empty-title">No open conflicts</p>
          <p className="dsp-muted">Every concurrent edit has been settled.</p>
        </div>
      ) : null}
      <ul className="dsp-conflicts">
        {sorted.map((conflict) => {
          const job = conflict.entity === 'jobs' ? jobById.get(conflict.entityId) : undefined;
          const open = conflict.status === 'open';
          return (
            <li key={conflict.id} className={`dsp-conflict${open ? '' : ' dsp-dim'}`} data-conflict-id={conflict.id}>
              <div className="dsp-conflict-head">
                <div>
                  <p className="dsp-conflict-field">
                    {humanize(conflict.field)} of{' '}
                    {job ? (
                      <a href={routeHref({ name: 'job', jobId: job.id })}>
                        <JobNumber jobNumber={job.jobNumber} /> {job.title}
                      </a>
                    ) : (
                      <span>
                        {humanize(conflict.entity.replace(/s$/, ''))} <code>{conflict.entityId.slice(-8)}</code>
                      </span>
                    )}
                  </p>
                  <p className="dsp-muted">Recorded {formatDateTime(conflict.createdAt, clock)}</p>
                </div>
                {open ? null : (
                  <span className="dsp-badge dsp-status-completed">
                    Resolved: kept {conflict.resolution === 'loser' ? 'the other value' : 'the current value'}
                  </span>
                )}
              </div>
              <div className="dsp-conflict-sides">
                <div className="dsp-side dsp-side-winner">
                  <p className="dsp-side-label">Current value</p>
                  <p className="dsp-side-value" data-testid="winner-value">
                    {formatValue(conflict.winnerValue)}
                  </p>
                  <p className="dsp-side-meta">
                    {userName(conflict.winnerBy)} · {formatDateTime(conflict.winnerAt, clock)}
                  </p>
                  {open ? (
                    <button
                      type="button"
                      className="dsp-button dsp-button-primary"
                      onClick={() => void resolve(conflict.id, 'winner')}
                    >
                      Keep
                    </button>
                  ) : null}
                </div>
                <div className="dsp-side dsp-side-loser">
                  <p className="dsp-side-label">Other value</p>
                  <p className="dsp-side-value" data-testid="loser-value">
                    {formatValue(conflict.loserValue)}
                  </p>
                  <p className="dsp-side-meta">
                    {userName(conflict.loserBy)} · {formatDateTime(conflict.loserAt, clock)}
                  </p>
                  {open ? (
                    <button type="button" className="dsp-button" onClick={() => void resolve(conflict.id, 'loser')}>
                      Use the other value
                    </button>
                  ) : null}
                </div>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
