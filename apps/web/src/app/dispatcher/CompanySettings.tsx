import {
  type Organization,
  type RecommendationResult,
  type ScoringSettings,
  scoringSettingsOf,
} from '@fieldsync/domain';
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import type { LocalRow } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { listTimeZones, resolveTimeZone } from '../shell/time-zones';
import { useAction } from '../shell/use-action';
import {
  draftPercents,
  percentSum,
  percentsAddUp,
  percentsToWeights,
  type SettingsDraft,
  settingsDraftOf,
  settingsUpdate,
  WEIGHT_KEYS,
  type WeightKey,
  weightsProblem,
} from './company-admin';
import { useContractors } from './dispatcher-data';
import { humanize, todayIn } from './format';
import { rankJobOnDevice } from './local-ranking';
import { Field, TextField } from './ui';

const EMPTY: never[] = [];
const WEIGHT_LABEL: Record<WeightKey, string> = {
  availability: 'Availability',
  rating: 'Rating',
  distance: 'Distance',
};
const PREVIEW_SIZE = 5;

/** Currency codes this browser knows, for the suggestions list (typing any three letters still works). */
function currencyCodes(): string[] {
  const supportedValuesOf = (Intl as { supportedValuesOf?: (key: 'currency') => string[] }).supportedValuesOf;
  return supportedValuesOf ? supportedValuesOf('currency') : ['USD', 'EUR', 'GBP', 'CAD', 'AUD'];
}

/**
 * The company's settings (admins only): name, clock, how contractors are
 * ranked, alert thresholds and money. Saving queues one `org.update` with
 * only the changed fields, so it works offline like every change.
 */
export function CompanySettings() {
  const { db } = useFieldsync();
  const org = useLiveQuery(
    () =>
      db.organizations
        .toCollection()
        .first()
        .then((row) => row ?? null),
    [db],
    undefined,
  );
  if (org === undefined) {
    return (
      <p className="dsp-muted" role="status">
        Loading…
      </p>
    );
  }
  if (org === null) {
    return (
      <section className="dsp-page">
        <h1>Company settings</h1>
        <p className="dsp-empty">The company settings have not synced to this device yet.</p>
      </section>
    );
  }
  // Keyed by id only: a sync arriving while the admin edits must not wipe what they typed.
  return <SettingsForm key={org.id} org={org} />;
}

function SettingsForm({ org }: { org: LocalRow<'organizations'> }) {
  const client = useFieldsync();
  const zones = useMemo(() => listTimeZones(), []);
  const currencies = useMemo(() => currencyCodes(), []);
  // What the form started from: the `base` of the change, and what "unsaved" is measured against.
  const [startedFrom, setStartedFrom] = useState<Organization>(org);
  const [draft, setDraft] = useState<SettingsDraft>(() => settingsDraftOf(org));
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction('computer');

  const dirty = JSON.stringify(draft) !== JSON.stringify(settingsDraftOf(startedFrom));
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const set = (field: Exclude<keyof SettingsDraft, 'percents'>) => (event: { target: { value: string } }) => {
    setSaved(null);
    setDraft((current) => ({ ...current, [field]: event.target.value }));
  };
  const setPercent = (key: WeightKey) => (event: { target: { value: string } }) => {
    setSaved(null);
    setDraft((current) => ({ ...current, percents: { ...current.percents, [key]: event.target.value } }));
  };

  const percents = draftPercents(draft);
  const sum = percentSum(percents);
  const weightsOk = percentsAddUp(percents);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    const timeZone = resolveTimeZone(draft.timeZone, zones) ?? draft.timeZone;
    const result = settingsUpdate(startedFrom, { ...draft, timeZone });
    if (!result.ok) {
      setIssues(result.problems);
      return;
    }
    setIssues({});
    if (Object.keys(result.patch).length === 0) {
      setSaved('Nothing to save: no setting changed.');
      return;
    }
    const ok = await action.run(() => client.mutate('org.update', { patch: result.patch, base: result.base }));
    if (ok) {
      const next = { ...startedFrom, ...result.patch };
      setStartedFrom(next);
      setDraft(settingsDraftOf(next));
      setSaved('Settings saved. They reach the server with the next sync.');
    }
  };

  const id = (name: string) => `adm-settings-${name}`;
  const fieldIssue = (name: string) => issues[name] ?? action.issues[name];
  const formError = issues[''] ?? action.error;
  return (
    <section className="dsp-page adm-page" aria-labelledby="adm-settings-title">
      <header className="dsp-page-head">
        <div>
          <h1 id="adm-settings-title">Company settings</h1>
          <p className="dsp-muted">What every screen and phone in {startedFrom.name} uses.</p>
        </div>
      </header>
      <form className="adm-settings" onSubmit={submit} noValidate>
        {formError ? (
          <p className="dsp-form-error" role="alert">
            {formError}
          </p>
        ) : null}

        <fieldset className="dsp-box adm-fieldset">
          <legend>Company and clock</legend>
          <TextField
            id={id('name')}
            label="Company name"
            error={fieldIssue('name')}
            value={draft.name}
            onChange={set('name')}
            autoComplete="organization"
          />
          <Field
            id={id('timeZone')}
            label="Time zone"
            error={fieldIssue('timeZone')}
            hint="Type a city or pick from the list, e.g. America/Denver"
          >
            {(props) => (
              <>
                <input
                  {...props}
                  list={id('zones')}
                  value={draft.timeZone}
                  onChange={set('timeZone')}
                  autoComplete="off"
                  spellCheck={false}
                />
                <datalist id={id('zones')}>
                  {zones.map((zone) => (
                    <option key={zone} value={zone} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <fieldset className="adm-radios dsp-field-wide">
            <legend>Time format</legend>
            {(['12h', '24h'] as const).map((format) => (
              <label key={format} className="dsp-check">
                <input
                  type="radio"
                  name="timeFormat"
                  value={format}
                  checked={draft.timeFormat === format}
                  onChange={() => {
                    setSaved(null);
                    setDraft((current) => ({ ...current, timeFormat: format }));
                  }}
                />
                {format === '12h' ? '12-hour (2:30 PM)' : '24-hour (14:30)'}
              </label>
            ))}
          </fieldset>
        </fieldset>

        <fieldset className="dsp-box adm-fieldset">
          <legend>Recommendations</legend>
          <p className="dsp-muted dsp-field-wide">
            How much each part counts when contractors are ranked for a job. The three must add up to 100 %.
          </p>
          <div className="adm-weights dsp-field-wide" aria-describedby={id('weights-sum')}>
            {WEIGHT_KEYS.map((key) => (
              <TextField
                key={key}
                id={id(`weight-${key}`)}
                label={`${WEIGHT_LABEL[key]} (%)`}
                type="number"
                inputMode="numeric"
                min={0}
                max={100}
                step={1}
                value={draft.percents[key]}
                onChange={setPercent(key)}
              />
            ))}
            <p
              id={id('weights-sum')}
              className={`adm-sum ${weightsOk ? 'adm-sum-ok' : 'adm-sum-bad'}`}
              aria-live="polite"
            >
              Total: {Number.isFinite(sum) ? `${Math.round(sum * 100) / 100} %` : '—'}
              {weightsOk ? ' ✓' : ' — must be 100 %'}
            </p>
          </div>
          {fieldIssue('scoringWeights') ? (
            <p className="dsp-error dsp-field-wide" role="alert">
              {fieldIssue('scoringWeights')}
            </p>
          ) : null}
          <TextField
            id={id('maxDistanceMiles')}
            label="Max distance (miles)"
            hint="Contractors farther from the job are not recommended."
            error={fieldIssue('maxDistanceMiles')}
            inputMode="decimal"
            value={draft.maxDistanceMiles}
            onChange={set('maxDistanceMiles')}
          />
          <RankingPreview org={startedFrom} draft={draft} />
        </fieldset>

        <fieldset className="dsp-box adm-fieldset">
          <legend>Alerts</legend>
          <TextField
            id={id('overdueMinutes')}
            label="Overdue after (minutes)"
            hint="A job not started this long after its booked start counts as overdue."
            error={fieldIssue('overdueMinutes')}
            inputMode="numeric"
            value={draft.overdueMinutes}
            onChange={set('overdueMinutes')}
          />
          <TextField
            id={id('staleDeviceHours')}
            label="Stale device after (hours)"
            hint="A contractor's phone that has not synced this long is flagged."
            error={fieldIssue('staleDeviceHours')}
            inputMode="numeric"
            value={draft.staleDeviceHours}
            onChange={set('staleDeviceHours')}
          />
        </fieldset>

        <fieldset className="dsp-box adm-fieldset">
          <legend>Money</legend>
          <Field id={id('currency')} label="Currency" error={fieldIssue('currency')} hint="Three letters, e.g. USD">
            {(props) => (
              <>
                <input
                  {...props}
                  list={id('currencies')}
                  value={draft.currency}
                  onChange={set('currency')}
                  autoComplete="off"
                  maxLength={3}
                />
                <datalist id={id('currencies')}>
                  {currencies.map((code) => (
                    <option key={code} value={code} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <TextField
            id={id('taxRate')}
            label="Tax rate (%)"
            hint="e.g. 8.25"
            error={fieldIssue('taxRateBasisPoints')}
            inputMode="decimal"
            value={draft.taxRatePercent}
            onChange={set('taxRatePercent')}
          />
        </fieldset>

        <div className="adm-save-bar">
          <button type="submit" className="dsp-button dsp-button-primary" disabled={action.busy}>
            Save settings
          </button>
          {dirty ? (
            <button
              type="button"
              className="dsp-button"
              onClick={() => {
                setIssues({});
                setDraft(settingsDraftOf(startedFrom));
              }}
            >
              Discard changes
            </button>
          ) : null}
          <span className="dsp-muted" role="status">
            {saved ?? (dirty ? 'Unsaved changes' : '')}
          </span>
        </div>
      </form>
    </section>
  );
}

type PreviewJob = LocalRow<'jobs'>;

/**
 * The top contractors for a sample job with the saved settings and with
 * the ones being edited, side by side, ranked on this device with the same
 * code the server uses.
 */
function RankingPreview({ org, draft }: { org: Organization; draft: SettingsDraft }) {
  const { db } = useFieldsync();
  const jobs = useLiveQuery(() => db.jobs.toArray(), [db], EMPTY);
  const contractors = useContractors();
  const workingHours = useLiveQuery(() => db.workingHours.toArray(), [db], EMPTY);
  const assignments = useLiveQuery(() => db.assignments.toArray(), [db], EMPTY);
  const candidates = useMemo(
    () =>
      jobs
        .filter((job) => job.lat != null && job.lng != null && job.status !== 'completed' && job.status !== 'cancelled')
        .sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open') || a.title.localeCompare(b.title)),
    [jobs],
  );
  const [chosenId, setChosenId] = useState<string | null>(null);
  const job = candidates.find((candidate) => candidate.id === chosenId) ?? candidates[0];

  const { percents, miles } = { percents: draftPercents(draft), miles: Number(draft.maxDistanceMiles) };
  const editedWeights = percentsAddUp(percents) ? percentsToWeights(percents) : null;
  const { availability, rating, distance } = editedWeights ?? { availability: -1, rating: -1, distance: -1 };
  const edited = useMemo<ScoringSettings | null>(
    () =>
      availability >= 0 && Number.isFinite(miles) && miles > 0
        ? scoringSettingsOf({ scoringWeights: { availability, rating, distance }, maxDistanceMiles: miles })
        : null,
    [availability, rating, distance, miles],
  );
  const timeZone = resolveTimeZone(draft.timeZone, listTimeZones()) ?? org.timeZone;

  const rank = useCallback(
    (settings: ScoringSettings, target: PreviewJob) =>
      rankJobOnDevice({
        job: target,
        contractors,
        workingHours,
        assignments,
        settings,
        timeZone,
        today: todayIn({ timeZone }),
        now: new Date().toISOString(),
        limit: PREVIEW_SIZE,
      }),
    [contractors, workingHours, assignments, timeZone],
  );
  const savedRanking = useMemo(() => (job ? rank(scoringSettingsOf(org), job) : null), [job, org, rank]);
  const editedRanking = useMemo(() => (job && edited ? rank(edited, job) : null), [job, edited, rank]);

  return (
    <section className="adm-preview dsp-field-wide" aria-labelledby="adm-preview-title">
      <h3 id="adm-preview-title">Preview</h3>
      {!job ? (
        <p className="dsp-muted">Add a job with a location to see how these settings rank your contractors.</p>
      ) : (
        <>
          <label className="adm-preview-job">
            Sample job
            <select value={job.id} onChange={(event) => setChosenId(event.target.value)}>
              {candidates.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.title} · {humanize(candidate.trade)}
                  {candidate.jobNumber ? ` · ${candidate.jobNumber}` : ''}
                </option>
              ))}
            </select>
          </label>
          <div className="adm-preview-columns">
            <PreviewColumn title="Saved settings" result={savedRanking} />
            {editedRanking ? (
              <PreviewColumn title="With your changes" result={editedRanking} compareTo={savedRanking} />
            ) : (
              <div className="adm-preview-column">
                <h4>With your changes</h4>
                <p className="dsp-muted">{weightsProblem(percents)}</p>
              </div>
            )}
          </div>
        </>
      )}
    </section>
  );
}

function PreviewColumn({
  title,
  result,
  compareTo,
}: {
  title: string;
  result: RecommendationResult | null;
  compareTo?: RecommendationResult | null;
}) {
  const before = new Map(compareTo?.recommendations.map((rec, index) => [rec.contractorId, index]) ?? []);
  const recommendations = result?.recommendations ?? [];
  return (
    <div className="adm-preview-column">
      <h4>{title}</h4>
      {recommendations.length === 0 ? (
        <p className="dsp-muted">No contractor qualifies for this job.</p>
      ) : (
        <ol>
          {recommendations.map((rec, index) => {
            const was = before.get(rec.contractorId);
            const move =
              compareTo === undefined
                ? null
                : was === undefined
                  ? 'new'
                  : was > index
                    ? `up ${was - index}`
                    : was < index
                      ? `down ${index - was}`
                      : null;
            return (
              <li key={rec.contractorId}>
                <span className="adm-preview-name">{rec.name}</span>
                <span className="adm-preview-score">score {Math.round(rec.score * 100)}</span>
                <span className="dsp-muted adm-preview-meta">
                  {rec.distanceMiles === null ? 'distance unknown' : `${rec.distanceMiles.toFixed(1)} mi`}
                  {move ? <span className="adm-preview-move"> · {move}</span> : null}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
