import {
  isLiveAssignment,
  needsReassignment,
  type Recommendation,
  type RecommendationResult,
  reassignmentMessage,
  recommendationResultSchema,
} from '@fieldsync/domain';
import { useEffect, useMemo, useState } from 'react';
import { type LocalRow, newId } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { useOrganization } from '../shell/use-organization';
import { candidateSlots } from './candidate-slots';
import { useContractors, useUsersById } from './dispatcher-data';
import { formatDateTime, formatTime, formatWallTime, todayIn } from './format';
import { rankingSettingsOf, rankJobOnDevice } from './local-ranking';
import { contractorsForPicking, type Placement, PlacementForm } from './PlacementForm';
import { checkPlacement } from './placement-check';
import { minutesToTime, wallSlotOf } from './schedule-layout';
import { RefusedChanges, ScoreBar } from './ui';

type Source = { kind: 'server' } | { kind: 'local'; why: 'offline' | 'failed' | 'loading' };

const EMPTY: never[] = [];

/** Slots a recommendation lists at first (the ranking's own three), and how many more each "Show more times" adds. */
const MORE_SLOTS_STEP = 6;

/**
 * Recommendations for one job: ranked on this device with the same domain
 * code the server runs, and replaced by the server's ranking when it
 * answers. One click proposes the top slot (a pending assignment); "Show
 * more times" lists further free slots of a contractor, and "Pick a time"
 * books anyone at any date and time, with the schedule's own warnings.
 */
export function AssignPanel({ job, onClose }: { job: LocalRow<'jobs'>; onClose: () => void }) {
  const client = useFieldsync();
  const { db } = client;
  const state = useSyncState();
  const clock = useOrganization();
  const contractors = useContractors();
  const users = useUsersById();
  const workingHours = useLiveQuery(() => db.workingHours.toArray(), [db], EMPTY);
  const assignments = useLiveQuery(() => db.assignments.toArray(), [db], EMPTY);
  const [server, setServer] = useState<{ jobId: string; result: RecommendationResult } | null>(null);
  const [serverFailed, setServerFailed] = useState(false);
  const [proposedIds, setProposedIds] = useState<string[]>([]);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [slotCounts, setSlotCounts] = useState<Readonly<Record<string, number>>>({});
  const [picking, setPicking] = useState(false);
  const action = useAction('computer');

  const liveAssignments = useMemo(() => assignments.filter((a) => isLiveAssignment(a.status)), [assignments]);
  const jobAssignments = liveAssignments.filter((a) => a.jobId === job.id);

  const local = useMemo(
    () =>
      rankJobOnDevice({
        job,
        contractors,
        workingHours,
        assignments: liveAssignments,
        settings: rankingSettingsOf(clock.organization),
        timeZone: clock.timeZone,
        today: todayIn(clock),
        now: new Date().toISOString(),
      }),
    [job, contractors, workingHours, liveAssignments, clock],
  );

  // Ask the server once per job (and again when the job changes or the device comes back online).
  const online = state.online;
  useEffect(() => {
    setServerFailed(false);
    if (!online) return;
    const controller = new AbortController();
    client
      .request('GET', `/api/jobs/${encodeURIComponent(job.id)}/recommendations?limit=10`, { signal: controller.signal })
      .then((body) => {
        const parsed = recommendationResultSchema.safeParse(body);
        if (parsed.success) setServer({ jobId: job.id, result: parsed.data });
        else setServerFailed(true);
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setServerFailed(true);
        void error;
      });
    return () => controller.abort();
  }, [client, job.id, online]);

  const useServer = server !== null && server.jobId === job.id && online && !serverFailed;
  const result = useServer ? server.result : local;
  const source: Source = useServer
    ? { kind: 'server' }
    : { kind: 'local', why: !online ? 'offline' : serverFailed ? 'failed' : 'loading' };

  const rejections = state.rejected.filter((change) => {
    const args = change.args as { jobId?: unknown; id?: unknown } | null;
    return change.name === 'assignment.create' && (args?.jobId === job.id || proposedIds.includes(String(args?.id)));
  });

  /** The free slots listed for a recommendation: the ranking's own, or more found on this device on request. */
  const slotsOf = (recommendation: Recommendation) => {
    const count = slotCounts[recommendation.contractorId];
    if (count === undefined) return { slots: recommendation.slots, exhausted: false };
    const slots = candidateSlots({
      job,
      contractorId: recommendation.contractorId,
      workingHours,
      assignments,
      settings: rankingSettingsOf(clock.organization),
      timeZone: clock.timeZone,
      today: todayIn(clock),
      now: new Date().toISOString(),
      count,
    });
    return { slots, exhausted: slots.length < count };
  };

  const showMore = (recommendation: Recommendation, shown: number) =>
    setSlotCounts((counts) => ({ ...counts, [recommendation.contractorId]: shown + MORE_SLOTS_STEP }));

  const propose = async (recommendation: Recommendation, slot: { start: string; end: string }) => {
    setMessage(null);
    action.clearError();
    const contractor = contractors.find((c) => c.id === recommendation.contractorId);
    const check = contractor
      ? checkPlacement({
          booking: { id: '', jobId: job.id, ...slot },
          jobStatus: job.status,
          jobTrade: job.trade,
          contractor,
          theirs: assignments.filter((a) => a.contractorId === contractor.id),
          // Only the refusals matter here: a recommended slot is inside working hours by construction.
          workingHours: [],
          timeZone: clock.timeZone,
          nowMs: Date.now(),
          formatWallTime: (time) => formatWallTime(time, clock),
        })
      : null;
    if (check?.kind === 'refused') {
      setMessage({ tone: 'error', text: `${check.message} Pick another time or contractor.` });
      return;
    }
    const id = newId();
    setBusy(recommendation.contractorId);
    const proposed = await action.run(() =>
      client.mutate('assignment.create', {
        id,
        jobId: job.id,
        contractorId: recommendation.contractorId,
        start: slot.start,
        end: slot.end,
        score: {
          total: Math.max(0, Math.min(1, recommendation.score)),
          breakdown: { ...recommendation.breakdown, explanation: recommendation.explanation },
        },
      }),
    );
    setBusy(null);
    if (!proposed) return;
    setProposedIds((ids) => [...ids, id]);
    setMessage({
      tone: 'ok',
      text: `Proposed to ${recommendation.name} for ${formatDateTime(slot.start, clock)}. They confirm on their phone.`,
    });
  };

  /** "Pick a time": books the job at the time typed, after the form's own checks and confirmations. */
  const proposePicked = async ({ contractor, interval }: Placement): Promise<boolean> => {
    setMessage(null);
    const id = newId();
    const proposed = await action.run(() =>
      client.mutate('assignment.create', {
        id,
        jobId: job.id,
        contractorId: contractor.id,
        start: interval.start,
        end: interval.end,
      }),
    );
    if (!proposed) return false;
    setProposedIds((ids) => [...ids, id]);
    setPicking(false);
    setMessage({
      tone: 'ok',
      text: `Proposed to ${contractor.name} for ${formatDateTime(interval.start, clock)}. They confirm on their phone.`,
    });
    return true;
  };

  const pickFirst =
    contractorsForPicking(contractors).find((c) => c.id === result.recommendations[0]?.contractorId) ??
    contractorsForPicking(contractors).find(
      (c) => c.status === 'active' && (c.trade === job.trade || c.trade === 'multi'),
    ) ??
    contractors[0];
  // The form opens on the best recommendation's first free time, which anyone can then change.
  const topSlot = result.recommendations[0]?.slots[0];
  const pickStart = topSlot ? wallSlotOf(topSlot.start, clock.timeZone) : null;
  const pickDate = job.desiredDate && job.desiredDate >= todayIn(clock) ? job.desiredDate : todayIn(clock);

  const notice = message ?? (action.error && !picking ? { tone: 'error' as const, text: action.error } : null);
  const contractorName = (id: string) => contractors.find((c) => c.id === id)?.name ?? 'Unknown contractor';
  const reassignment = (assignment: LocalRow<'assignments'>) => {
    const contractor = contractors.find((c) => c.id === assignment.contractorId);
    const reason = needsReassignment(
      assignment,
      contractor,
      contractor?.userId ? users.get(contractor.userId) : undefined,
    );
    return reason && contractor ? reassignmentMessage(reason, contractor.name) : null;
  };

  return (
    <aside className="dsp-assign" aria-labelledby="dsp-assign-title">
      <header className="dsp-assign-head">
        <div>
          <h2 id="dsp-assign-title">Recommended contractors</h2>
          <p className={`dsp-source dsp-source-${source.kind}`} data-testid="recommendation-source">
            {source.kind === 'server'
              ? 'Ranked by the server'
              : source.why === 'offline'
                ? 'Ranked on this device (offline)'
                : source.why === 'failed'
                  ? 'Ranked on this device (server ranking unavailable)'
                  : 'Ranked on this device · checking the server…'}
          </p>
        </div>
        <button type="button" className="dsp-icon-button" onClick={onClose} aria-label="Close recommendations">
          ✕
        </button>
      </header>

      {jobAssignments.length > 0 ? (
        <div className="dsp-assign-current">
          <h3>On this job</h3>
          <ul>
            {jobAssignments.map((a) => {
              const flag = reassignment(a);
              return (
                <li key={a.id}>
                  <strong>{contractorName(a.contractorId)}</strong> · {formatDateTime(a.scheduledStart, clock)}–
                  {formatTime(a.scheduledEnd, clock)} ·{' '}
                  <span className={`dsp-astatus dsp-astatus-${a.status}`}>{a.status}</span>
                  {a._pendingSeq !== undefined ? <span className="dsp-muted"> (not sent yet)</span> : null}
                  {flag ? (
                    <p className="dsp-reassign">
                      <span aria-hidden="true">⚠ </span>
                      {flag}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}

      {notice ? (
        <p className={`dsp-notice dsp-notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      ) : null}
      <RefusedChanges
        changes={rejections}
        lead={(change) => (change.code === 'double_booked' ? 'Double booking refused. ' : 'Assignment refused. ')}
        onDismiss={(id) => void client.dismissRejected(id)}
      />

      <section className="dsp-pick" aria-labelledby="dsp-pick-title">
        <div className="dsp-pick-head">
          <h3 id="dsp-pick-title">Pick a time</h3>
          <button
            type="button"
            className="dsp-link-button"
            aria-expanded={picking}
            aria-controls="dsp-pick-form"
            onClick={() => {
              action.clearError();
              setPicking((open) => !open);
            }}
          >
            {picking ? 'Close' : 'Any contractor, any date…'}
          </button>
        </div>
        {picking ? (
          <div id="dsp-pick-form">
            <PlacementForm
              job={job}
              contractors={contractors}
              workingHours={workingHours}
              assignments={assignments}
              initial={{
                contractorId: pickFirst?.id ?? '',
                date: pickStart?.date ?? pickDate,
                time: pickStart ? minutesToTime(pickStart.minutes) : '08:00',
              }}
              submitLabel={{ plain: 'Propose', anyway: 'Propose anyway' }}
              busy={action.busy}
              error={action.error}
              onSubmit={proposePicked}
              onCancel={() => setPicking(false)}
            />
          </div>
        ) : null}
      </section>

      {result.recommendations.length === 0 ? (
        <p className="dsp-empty">No contractor can take this job within the search window.</p>
      ) : (
        <ol className="dsp-recs">
          {result.recommendations.map((rec, index) => {
            const { slots, exhausted } = slotsOf(rec);
            const first = slots[0];
            return (
              <li key={rec.contractorId} className="dsp-rec" data-contractor-id={rec.contractorId}>
                <div className="dsp-rec-head">
                  <span className="dsp-rec-rank" aria-hidden="true">
                    {index + 1}
                  </span>
                  <div className="dsp-rec-name">
                    <strong>{rec.name}</strong>
                    <span className="dsp-muted">
                      {rec.distanceMiles === null ? 'distance unknown' : `${rec.distanceMiles.toFixed(1)} mi`}
                    </span>
                  </div>
                  <span className="dsp-rec-score" title="Total score">
                    {Math.round(rec.score * 100)}
                  </span>
                </div>
                <div className="dsp-rec-bars">
                  <ScoreBar
                    label="Availability"
                    value={rec.breakdown.availability}
                    weight={rec.breakdown.weights.availability}
                  />
                  <ScoreBar label="Rating" value={rec.breakdown.rating} weight={rec.breakdown.weights.rating} />
                  <ScoreBar label="Distance" value={rec.breakdown.distance} weight={rec.breakdown.weights.distance} />
                </div>
                <p className="dsp-rec-why">{rec.explanation}</p>
                {first ? (
                  <div className="dsp-rec-actions">
                    <button
                      type="button"
                      className="dsp-button dsp-button-primary"
                      disabled={busy !== null}
                      onClick={() => void propose(rec, first)}
                    >
                      Propose {formatDateTime(first.start, clock)}
                    </button>
                    {slots.slice(1).map((slot) => (
                      <button
                        key={slot.start}
                        type="button"
                        className="dsp-button dsp-button-small"
                        disabled={busy !== null}
                        onClick={() => void propose(rec, slot)}
                      >
                        {formatDateTime(slot.start, clock)}
                      </button>
                    ))}
                    {exhausted ? (
                      <span className="dsp-muted dsp-rec-no-more">No more free times in the search window.</span>
                    ) : (
                      <button
                        type="button"
                        className="dsp-link-button"
                        onClick={() => showMore(rec, slots.length)}
                        aria-label={`Show more times for ${rec.name}`}
                      >
                        Show more times
                      </button>
                    )}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}

      {result.excluded.length > 0 ? (
        <details className="dsp-excluded">
          <summary>{result.excluded.length} not eligible</summary>
          <ul>
            {result.excluded.map((item) => (
              <li key={item.contractorId}>
                <strong>{item.name}</strong> — {item.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </aside>
  );
}
