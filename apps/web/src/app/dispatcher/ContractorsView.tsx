import { CONTRACTOR_STATUSES, needsReassignment, reassignmentMessage, TRADES } from '@fieldsync/domain';
import { EDITABLE_FIELDS, mutationArgsSchemas } from '@fieldsync/protocol';
import { type FormEvent, useMemo, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { useOrganization } from '../shell/use-organization';
import { useContractors, useRatingSummaries, useUsersById } from './dispatcher-data';
import { blankToUndefined, type FieldIssues, issuesByField, numberOrUndefined } from './form-issues';
import { formatDateTime, humanize } from './format';
import { routeHref } from './route';
import { EnumField, TextField } from './ui';

const EMPTY: never[] = [];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
// Monday first, as crews read a week.
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

type RatingSummary = { count: number; average: number } | undefined;

/** "1 rating", "5 ratings". */
function ratingCount(count: number): string {
  return count === 1 ? '1 rating' : `${count} ratings`;
}

/** "4.3 from 5 ratings", or the starting rating when nobody has rated their work yet. */
function ratingWords(contractor: LocalRow<'contractors'>, summary: RatingSummary): string {
  if (!summary) return `${contractor.rating.toFixed(1)} starting rating, not rated yet`;
  return `${contractor.rating.toFixed(1)} from ${ratingCount(summary.count)}`;
}

/** Contractors: a list on the left, the selected one's details and working week on the right. */
export function ContractorsView({ contractorId }: { contractorId?: string | undefined }) {
  const contractors = useContractors();
  const users = useUsersById();
  const ratings = useRatingSummaries();
  const selected = contractors.find((c) => c.id === contractorId) ?? contractors[0];
  const accessRemoved = (contractor: LocalRow<'contractors'>) =>
    contractor.userId !== null && users.get(contractor.userId)?.active === false;
  return (
    <section className="dsp-page" aria-labelledby="dsp-contractors-title">
      <header className="dsp-page-head">
        <div>
          <h1 id="dsp-contractors-title">Contractors</h1>
          <p className="dsp-muted">{contractors.length} on the team</p>
        </div>
      </header>
      <div className="dsp-master-detail">
        <nav className="dsp-master" aria-label="Contractors">
          <ul>
            {contractors.map((contractor) => (
              <li key={contractor.id}>
                <a
                  href={routeHref({ name: 'contractors', contractorId: contractor.id })}
                  aria-current={contractor.id === selected?.id ? 'page' : undefined}
                >
                  <span>{contractor.name}</span>
                  <span className="dsp-muted">
                    {humanize(contractor.trade)} ·{' '}
                    <span title={ratingWords(contractor, ratings.get(contractor.id))}>
                      ★ {contractor.rating.toFixed(1)}
                      {ratings.has(contractor.id) ? ` · ${ratingCount(ratings.get(contractor.id)?.count ?? 0)}` : ''}
                    </span>
                    {contractor.status !== 'active' ? ` · ${humanize(contractor.status)}` : ''}
                    {accessRemoved(contractor) ? ' · Access removed' : ''}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {selected ? (
          <div className="dsp-detail-pane">
            <ReassignmentNotice contractor={selected} user={selected.userId ? users.get(selected.userId) : undefined} />
            <ContractorForm
              key={`${selected.id}-${selected.version}`}
              contractor={selected}
              rating={ratings.get(selected.id)}
            />
            <WorkingHoursEditor contractorId={selected.id} />
          </div>
        ) : (
          <p className="dsp-empty">No contractors on this device yet.</p>
        )}
      </div>
    </section>
  );
}

/**
 * The booked work of a contractor who can no longer do it (marked inactive,
 * or their account deactivated), each job a link to its recommendations.
 */
function ReassignmentNotice({
  contractor,
  user,
}: {
  contractor: LocalRow<'contractors'>;
  user: LocalRow<'users'> | undefined;
}) {
  const { db } = useFieldsync();
  const clock = useOrganization();
  const stranded = useLiveQuery(
    async () => {
      const assignments = await db.assignments.where('contractorId').equals(contractor.id).toArray();
      const flagged = assignments.filter((a) => needsReassignment(a, contractor, user) !== null);
      const jobs = await db.jobs.bulkGet(flagged.map((a) => a.jobId));
      return flagged
        .map((assignment, index) => ({ assignment, job: jobs[index] }))
        .sort((a, b) => Date.parse(a.assignment.scheduledStart) - Date.parse(b.assignment.scheduledStart));
    },
    [db, contractor, user],
    EMPTY,
  );
  const reason = stranded[0] ? needsReassignment(stranded[0].assignment, contractor, user) : null;
  if (!reason) return null;
  return (
    <div className="dsp-notice dsp-notice-warn" role="status">
      <p>
        {reassignmentMessage(reason, contractor.name)}:{' '}
        {stranded.length === 1 ? '1 booked job' : `${stranded.length} booked jobs`}.
      </p>
      <ul>
        {stranded.map(({ assignment, job }) => (
          <li key={assignment.id}>
            <a href={routeHref({ name: 'job', jobId: assignment.jobId, panel: 'assign' })}>
              {job?.title ?? 'Job not on this device'}
            </a>{' '}
            · {formatDateTime(assignment.scheduledStart, clock)}
          </li>
        ))}
      </ul>
    </div>
  );
}

type ContractorDraft = Record<
  'name' | 'trade' | 'status' | 'phone' | 'email' | 'skills' | 'baseAddress' | 'baseLat' | 'baseLng',
  string
>;

function draftOf(contractor: LocalRow<'contractors'>): ContractorDraft {
  return {
    name: contractor.name,
    trade: contractor.trade,
    status: contractor.status,
    phone: contractor.phone ?? '',
    email: contractor.email ?? '',
    skills: contractor.skills.join(', '),
    baseAddress: contractor.baseAddress ?? '',
    baseLat: contractor.baseLat == null ? '' : String(contractor.baseLat),
    baseLng: contractor.baseLng == null ? '' : String(contractor.baseLng),
  };
}

function ContractorForm({ contractor, rating }: { contractor: LocalRow<'contractors'>; rating: RatingSummary }) {
  const client = useFieldsync();
  const [draft, setDraft] = useState(() => draftOf(contractor));
  const [issues, setIssues] = useState<FieldIssues>({});
  const [saved, setSaved] = useState(false);
  const action = useAction('computer');
  const set = (field: keyof ContractorDraft) => (event: { target: { value: string } }) => {
    setSaved(false);
    setDraft((current) => ({ ...current, [field]: event.target.value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    action.clearError();
    const fields: Record<string, unknown> = {
      name: draft.name.trim(),
      trade: draft.trade,
      status: draft.status,
      phone: blankToUndefined(draft.phone) ?? null,
      email: blankToUndefined(draft.email) ?? null,
      skills: draft.skills
        .split(',')
        .map((skill) => skill.trim())
        .filter(Boolean),
      baseAddress: blankToUndefined(draft.baseAddress) ?? null,
      baseLat: numberOrUndefined(draft.baseLat) ?? null,
      baseLng: numberOrUndefined(draft.baseLng) ?? null,
    };
    const patch: Record<string, unknown> = {};
    const base: Record<string, unknown> = {};
    for (const field of EDITABLE_FIELDS.contractors) {
      if (!(field in fields)) continue;
      const before = contractor[field] ?? null;
      if (JSON.stringify(fields[field]) !== JSON.stringify(before)) {
        patch[field] = fields[field];
        base[field] = before;
      }
    }
    if (Object.keys(patch).length === 0) {
      setIssues({});
      setSaved(true);
      return;
    }
    const parsed = mutationArgsSchemas['contractor.update'].safeParse({ id: contractor.id, patch, base });
    if (!parsed.success) {
      setIssues(issuesByField(parsed.error));
      return;
    }
    setIssues({});
    if (await action.run(() => client.mutate('contractor.update', { id: contractor.id, patch: parsed.data.patch }))) {
      setSaved(true);
    }
  };

  const id = (name: string) => `dsp-contractor-${name}`;
  return (
    <form className="dsp-form dsp-box" onSubmit={submit} noValidate aria-labelledby={id('h')}>
      <h2 id={id('h')} className="dsp-field-wide">
        {contractor.name}
        <span className="dsp-muted"> · ★ {ratingWords(contractor, rating)}</span>
      </h2>
      {issues[''] || action.error ? (
        <p className="dsp-form-error" role="alert">
          {issues[''] ?? action.error}
        </p>
      ) : null}
      <TextField id={id('name')} label="Name" error={issues.name} value={draft.name} onChange={set('name')} />
      <EnumField
        id={id('trade')}
        label="Trade"
        error={issues.trade}
        value={draft.trade}
        onChange={set('trade')}
        options={TRADES}
      />
      <EnumField
        id={id('status')}
        label="Status"
        error={issues.status}
        value={draft.status}
        onChange={set('status')}
        options={CONTRACTOR_STATUSES}
      />
      <TextField
        id={id('skills')}
        label="Skills"
        error={issues.skills}
        hint="Comma separated"
        value={draft.skills}
        onChange={set('skills')}
      />
      <TextField
        id={id('phone')}
        label="Phone"
        error={issues.phone}
        type="tel"
        value={draft.phone}
        onChange={set('phone')}
      />
      <TextField
        id={id('email')}
        label="Email"
        error={issues.email}
        type="email"
        value={draft.email}
        onChange={set('email')}
      />
      <TextField
        id={id('base')}
        label="Base address"
        error={issues.baseAddress}
        wide
        value={draft.baseAddress}
        onChange={set('baseAddress')}
      />
      <TextField
        id={id('lat')}
        label="Base latitude"
        error={issues.baseLat}
        inputMode="decimal"
        value={draft.baseLat}
        onChange={set('baseLat')}
      />
      <TextField
        id={id('lng')}
        label="Base longitude"
        error={issues.baseLng}
        inputMode="decimal"
        value={draft.baseLng}
        onChange={set('baseLng')}
      />
      <div className="dsp-form-actions">
        <button type="submit" className="dsp-button dsp-button-primary">
          Save contractor
        </button>
        {saved ? (
          <span className="dsp-ok" role="status">
            Saved
          </span>
        ) : null}
      </div>
    </form>
  );
}

type DayDraft = { on: boolean; start: string; end: string };

function WorkingHoursEditor({ contractorId }: { contractorId: string }) {
  const client = useFieldsync();
  const { db } = client;
  const rows = useLiveQuery(
    () => db.workingHours.where('contractorId').equals(contractorId).toArray(),
    [db, contractorId],
    EMPTY,
  );
  const fromRows = useMemo(() => {
    const days: DayDraft[] = WEEKDAYS.map(() => ({ on: false, start: '08:00', end: '16:00' }));
    for (const row of rows)
      days[row.dayOfWeek] = { on: true, start: row.startTime.slice(0, 5), end: row.endTime.slice(0, 5) };
    return days;
  }, [rows]);
  const [edited, setEdited] = useState<DayDraft[] | null>(null);
  const [issues, setIssues] = useState<FieldIssues>({});
  const [saved, setSaved] = useState(false);
  const action = useAction('computer');
  const [dayErrors, setDayErrors] = useState<Record<number, string>>({});
  const days = edited ?? fromRows;

  const update = (day: number, change: Partial<DayDraft>) => {
    setSaved(false);
    setEdited(days.map((current, index) => (index === day ? { ...current, ...change } : current)));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    action.clearError();
    const list = WEEK_ORDER.filter((day) => days[day]?.on).map((day) => ({
      dayOfWeek: day,
      start: days[day]?.start ?? '',
      end: days[day]?.end ?? '',
    }));
    const parsed = mutationArgsSchemas['workingHours.set'].safeParse({ contractorId, days: list });
    if (!parsed.success) {
      const perDay: Record<number, string> = {};
      for (const issue of parsed.error.issues) {
        const [first, index] = issue.path;
        const entry = first === 'days' && typeof index === 'number' ? list[index] : undefined;
        if (entry && perDay[entry.dayOfWeek] === undefined)
          perDay[entry.dayOfWeek] = issue.message.startsWith('Invalid') ? 'Enter a time like 08:00' : issue.message;
      }
      setDayErrors(perDay);
      setIssues(Object.keys(perDay).length ? {} : issuesByField(parsed.error));
      return;
    }
    setDayErrors({});
    setIssues({});
    if (await action.run(() => client.mutate('workingHours.set', parsed.data))) {
      setEdited(null);
      setSaved(true);
    }
  };

  return (
    <form className="dsp-box dsp-hours" onSubmit={submit} noValidate aria-labelledby="dsp-hours-h">
      <h2 id="dsp-hours-h">Working hours</h2>
      <p className="dsp-muted">In the company's time zone. Days left unticked are days off.</p>
      {issues[''] || action.error ? (
        <p className="dsp-form-error" role="alert">
          {issues[''] ?? action.error}
        </p>
      ) : null}
      <table className="dsp-hours-table">
        <tbody>
          {WEEK_ORDER.map((day) => {
            const draft = days[day] as DayDraft;
            const error = dayErrors[day];
            return (
              <tr key={day} className={error ? 'dsp-field-invalid' : undefined}>
                <th scope="row">
                  <label className="dsp-check">
                    <input
                      type="checkbox"
                      checked={draft.on}
                      onChange={(event) => update(day, { on: event.target.checked })}
                    />
                    {WEEKDAYS[day]}
                  </label>
                </th>
                <td>
                  <input
                    type="time"
                    aria-label={`${WEEKDAYS[day]} start`}
                    value={draft.start}
                    disabled={!draft.on}
                    aria-invalid={Boolean(error)}
                    onChange={(event) => update(day, { start: event.target.value })}
                  />
                </td>
                <td aria-hidden="true">to</td>
                <td>
                  <input
                    type="time"
                    aria-label={`${WEEKDAYS[day]} end`}
                    value={draft.end}
                    disabled={!draft.on}
                    aria-invalid={Boolean(error)}
                    onChange={(event) => update(day, { end: event.target.value })}
                  />
                </td>
                <td>
                  {error ? (
                    <span className="dsp-error" role="alert">
                      {error}
                    </span>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="dsp-form-actions">
        <button type="submit" className="dsp-button dsp-button-primary" disabled={edited === null}>
          Save hours
        </button>
        {edited ? (
          <button type="button" className="dsp-button" onClick={() => setEdited(null)}>
            Undo changes
          </button>
        ) : null}
        {saved ? (
          <span className="dsp-ok" role="status">
            Saved
          </span>
        ) : null}
      </div>
    </form>
  );
}
