import { useFieldsync, useLiveQuery } from '../../sync/react';
import { useOrganization } from '../shell/use-organization';
import { useUserName } from './dispatcher-data';
import { formatDateTime } from './format';

const EMPTY: never[] = [];

/** The job's materials and who bought them (read-only here: the crew keeps the list on their phones). */
export function JobMaterialsSection({ jobId }: { jobId: string }) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const userName = useUserName();
  const materials = useLiveQuery(() => db.materials.where('jobId').equals(jobId).toArray(), [db, jobId], EMPTY);
  return (
    <section className="dsp-box" aria-labelledby="dsp-materials-h">
      <h2 id="dsp-materials-h">Materials</h2>
      {materials.length === 0 ? (
        <p className="dsp-muted">None listed.</p>
      ) : (
        <ul className="dsp-list">
          {materials.map((m) => (
            <li key={m.id} className="dsp-material">
              <span aria-hidden="true" className={m.purchased ? 'dsp-tick dsp-tick-on' : 'dsp-tick'}>
                {m.purchased ? '✓' : ''}
              </span>
              <span>
                {m.itemName} · {m.quantity} {m.unit}
                {m.recordedAfterCancellation === true ? (
                  <span className="dsp-late-mark">Recorded after cancellation</span>
                ) : null}
                <span className="dsp-muted">
                  {m.purchased
                    ? ` · bought by ${userName(m.purchasedBy)} ${formatDateTime(m.purchasedAt, clock)}`
                    : ' · to buy'}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
