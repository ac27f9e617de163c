import { isLiveAssignment, PRIORITIES, type Priority, TEXT_LIMITS, TRADES, type Trade } from '@fieldsync/domain';
import { type FormEvent, useId, useState } from 'react';
import { newId } from '../../sync';
import { useFieldsync, useLiveQuery, useSyncState } from '../../sync/react';
import { jobHref } from '../router';
import { compareInstants, formatDateTime } from '../shell/format';
import { useAction } from '../shell/use-action';
import { useOrganization } from '../shell/use-organization';
import { argsProblems } from '../shell/validate-args';
import { type CreatedFollowUp, followUpState, readCreatedFollowUps, rememberCreatedFollowUp } from './follow-up-memo';
import type { LocalAssignment, LocalJob } from './use-contractor-data';
import './follow-up.css';

const TRADE_WORDS: Record<Trade, string> = {
  flooring: 'Flooring',
  tile: 'Tile',
  carpet: 'Carpet',
  paving: 'Paving',
  general: 'General',
  multi: 'Several trades',
};
const PRIORITY_WORDS: Record<Priority, string> = { low: 'Low', medium: 'Normal', high: 'High', urgent: 'Urgent' };
const DURATIONS = [30, 60, 90, 120, 180, 240, 360, 480];

function durationWords(minutes: number): string {
  if (minutes < 60) return `${minutes} minutes`;
  const hours = minutes / 60;
  return Number.isInteger(hours) ? `${hours} ${hours === 1 ? 'hour' : 'hours'}` : `${hours.toFixed(1)} hours`;
}

/** The follow-up's title as the form starts it, within the title's length. */
function suggestedTitle(parentTitle: string): string {
  const title = `Follow-up: ${parentTitle}`;
  return title.length > TEXT_LIMITS.name ? `${title.slice(0, TEXT_LIMITS.name - 1)}…` : title;
}

type FieldName = 'title' | 'description' | 'trade' | 'durationMinutes' | 'priority';

function FollowUpForm(props: { job: LocalJob; onSaved: (title: string) => void; onCancel: () => void }) {
  const { job } = props;
  const client = useFieldsync();
  const { run, error, issues, busy } = useAction();
  const [title, setTitle] = useState(() => suggestedTitle(job.title));
  const [description, setDescription] = useState('');
  const [trade, setTrade] = useState<Trade>(job.trade);
  const [durationMinutes, setDurationMinutes] = useState(60);
  const [priority, setPriority] = useState<Priority>('medium');
  const [problems, setProblems] = useState<Partial<Record<FieldName | '', string>>>({});
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const args = {
      id: newId(),
      title: title.trim(),
      description: description.trim(),
      customerId: job.customerId,
      trade,
      priority,
      durationMinutes,
      parentJobId: job.id,
      ...(job.address ? { address: job.address } : {}),
      ...(job.lat !== null && job.lng !== null ? { lat: job.lat, lng: job.lng } : {}),
    };
    // The server's own rules (lengths, characters it cannot store), before anything is queued.
    const found: Partial<Record<FieldName | '', string>> = {
      ...(argsProblems('job.create', args) ?? {}),
      ...(args.title ? {} : { title: 'Give the follow-up a title.' }),
      ...(args.description ? {} : { description: 'Say what needs doing, so the office can plan it.' }),
    };
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    if (!(await run(() => client.mutate('job.create', args)))) return;
    try {
      await rememberCreatedFollowUp(client.db, {
        id: args.id,
        parentJobId: job.id,
        title: args.title,
        createdAt: new Date().toISOString(),
      });
    } catch {
      // The follow-up itself is saved and queued; without the memo it is listed only until it is sent.
    }
    props.onSaved(args.title);
  }

  const problemOf = (name: FieldName) => problems[name] ?? issues[name];
  const field = (name: FieldName) => ({
    id: `${id}-${name}`,
    'aria-invalid': problemOf(name) ? true : undefined,
    'aria-describedby': problemOf(name) ? `${id}-${name}-problem` : undefined,
  });
  const problem = (name: FieldName) =>
    problemOf(name) ? (
      <p id={`${id}-${name}-problem`} className="fs-error">
        {problemOf(name)}
      </p>
    ) : null;
  const otherProblems = Object.entries(problems).filter(
    ([name]) => !['title', 'description', 'trade', 'durationMinutes', 'priority'].includes(name),
  );

  return (
    <form className="fs-form ct-follow-up__form" noValidate onSubmit={(event) => void submit(event)}>
      <div className="fs-field">
        <label htmlFor={`${id}-description`}>What needs doing</label>
        <textarea
          {...field('description')}
          className="fs-input"
          rows={4}
          value={description}
          placeholder="e.g. The flue needs a new liner. Customer is home mornings."
          onChange={(event) => setDescription(event.target.value)}
        />
        {problem('description')}
      </div>
      <div className="fs-field">
        <label htmlFor={`${id}-title`}>Title</label>
        <input
          {...field('title')}
          className="fs-input"
          autoComplete="off"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
        />
        {problem('title')}
      </div>
      <div className="ct-follow-up__row">
        <div className="fs-field">
          <label htmlFor={`${id}-trade`}>Trade</label>
          <select
            {...field('trade')}
            className="fs-input"
            value={trade}
            onChange={(event) => setTrade(event.target.value as Trade)}
          >
            {TRADES.map((option) => (
              <option key={option} value={option}>
                {TRADE_WORDS[option]}
              </option>
            ))}
          </select>
          {problem('trade')}
        </div>
        <div className="fs-field">
          <label htmlFor={`${id}-durationMinutes`}>About how long</label>
          <select
            {...field('durationMinutes')}
            className="fs-input"
            value={durationMinutes}
            onChange={(event) => setDurationMinutes(Number(event.target.value))}
          >
            {DURATIONS.map((minutes) => (
              <option key={minutes} value={minutes}>
                {durationWords(minutes)}
              </option>
            ))}
          </select>
          {problem('durationMinutes')}
        </div>
      </div>
      <div className="fs-field">
        <label htmlFor={`${id}-priority`}>Priority</label>
        <select
          {...field('priority')}
          className="fs-input"
          value={priority}
          onChange={(event) => setPriority(event.target.value as Priority)}
        >
          {PRIORITIES.map((option) => (
            <option key={option} value={option}>
              {PRIORITY_WORDS[option]}
            </option>
          ))}
        </select>
        {problem('priority')}
      </div>
      <p className="fs-muted ct-follow-up__hint">
        For the same customer and address. The office books it; it will not appear in your day until they do.
      </p>
      {otherProblems.map(([name, message]) => (
        <p key={name} className="fs-error">
          {message}
        </p>
      ))}
      {error ? (
        <p className="fs-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="fs-row">
        <button type="submit" className="fs-button fs-button--primary" disabled={busy}>
          Send to the office
        </button>
        <button type="button" className="fs-button fs-button--secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The follow-ups created from this job on this phone, newest first, each with where it stands. */
function useFollowUpsOf(jobId: string) {
  const { db } = useFieldsync();
  const { rejected, session } = useSyncState();
  const userId = session?.user.id;
  const known = useLiveQuery(async () => {
    const [remembered, local] = await Promise.all([
      readCreatedFollowUps(db),
      // Rows not sent yet (listed even if the memo could not be written), and ones booked on this phone since.
      db.jobs.filter((row) => row.parentJobId === jobId && row.createdBy === userId).toArray(),
    ]);
    const byId = new Map<string, CreatedFollowUp>();
    for (const row of local) {
      byId.set(row.id, { id: row.id, parentJobId: jobId, title: row.title, createdAt: row.createdAt });
    }
    for (const followUp of remembered) if (followUp.parentJobId === jobId) byId.set(followUp.id, followUp);
    const pendingIds = new Set(local.filter((row) => row._pendingSeq !== undefined).map((row) => row.id));
    // Once the office books this contractor on it, the pull brings it: then it can be opened.
    const bookedIds = new Set(local.filter((row) => row._pendingSeq === undefined).map((row) => row.id));
    return { followUps: [...byId.values()], pendingIds, bookedIds };
  }, [jobId, userId]);
  if (!known) return undefined;
  return known.followUps
    .map((followUp) => ({
      followUp,
      state: followUpState(followUp, known.pendingIds, rejected),
      onPhone: known.bookedIds.has(followUp.id),
    }))
    .sort((a, b) => compareInstants(b.followUp.createdAt, a.followUp.createdAt));
}

/**
 * "Create follow-up job" on a job the contractor holds: more work found on
 * site goes to the office as a new open job for the same customer, with the
 * contractor's note, even offline. Below it, the follow-ups created from
 * this job on this phone and whether the office has them.
 */
export function FollowUpSection({ job, assignment }: { job: LocalJob; assignment: LocalAssignment | undefined }) {
  const clock = useOrganization();
  const { online } = useSyncState();
  const [open, setOpen] = useState(false);
  const [justSent, setJustSent] = useState<string | null>(null);
  const followUps = useFollowUpsOf(job.id);
  const headingId = useId();
  const held = assignment !== undefined && isLiveAssignment(assignment.status) && job.status !== 'cancelled';
  if (!held && !followUps?.length) return null;

  return (
    <section className="ct-panel ct-follow-up" aria-labelledby={headingId}>
      <h2 id={headingId}>Follow-up work</h2>
      {justSent ? (
        <p className="fs-success ct-follow-up__sent" role="status">
          {online
            ? `Sent to the office: ${justSent}.`
            : `Saved: ${justSent}. It goes to the office as soon as this phone is back online.`}
        </p>
      ) : null}
      {held && !open ? (
        <>
          <p className="fs-muted">Found more work here? Send the office a new job for this customer.</p>
          <button
            type="button"
            className="fs-button fs-button--secondary fs-button--block"
            onClick={() => {
              setJustSent(null);
              setOpen(true);
            }}
          >
            Create follow-up job
          </button>
        </>
      ) : null}
      {held && open ? (
        <FollowUpForm
          job={job}
          onCancel={() => setOpen(false)}
          onSaved={(title) => {
            setOpen(false);
            setJustSent(title);
          }}
        />
      ) : null}
      {followUps?.length ? (
        <>
          <h3 className="ct-follow-up__list-title">Follow-ups you created</h3>
          <ul className="ct-follow-up__list">
            {followUps.map(({ followUp, state, onPhone }) => (
              <li key={followUp.id} className="ct-follow-up__item">
                {onPhone ? (
                  <a className="ct-follow-up__title" href={jobHref(followUp.id)}>
                    {followUp.title}
                  </a>
                ) : (
                  <span className="ct-follow-up__title">{followUp.title}</span>
                )}
                <span className="fs-muted ct-follow-up__meta">
                  {followUp.createdAt ? `${formatDateTime(followUp.createdAt, clock)} · ` : ''}
                  {state.kind === 'waiting' ? (
                    <span className="ct-badge ct-badge--pending">Not sent yet</span>
                  ) : state.kind === 'sent' ? (
                    'Sent to the office'
                  ) : (
                    <span className="ct-follow-up__refused">Not accepted: {state.message}</span>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
