import { type FormEvent, useId, useState } from 'react';
import { newId } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { compareInstants, formatDateTime } from '../shell/format';
import { useAction } from '../shell/use-action';
import { useOrganization } from '../shell/use-organization';
import { argsProblems } from '../shell/validate-args';
import { LateWorkMark } from './LateWorkMark';
import { useUserNames } from './use-contractor-data';

/** Notes on the job, newest first, with who wrote them and when; and a box to add one. */
export function NotesSection({ jobId, canEdit }: { jobId: string; canEdit: boolean }) {
  const client = useFieldsync();
  const { db } = client;
  const clock = useOrganization();
  const notes = useLiveQuery(
    async () =>
      (await db.jobNotes.where('jobId').equals(jobId).toArray()).sort((a, b) =>
        compareInstants(b.occurredAt, a.occurredAt),
      ),
    [jobId],
  );
  const names = useUserNames(notes?.map((note) => note.authorId) ?? []);
  const { run, error, issues, busy } = useAction();
  const [body, setBody] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) {
      setProblem('Write something first.');
      return;
    }
    // The server's own rules (length, characters it cannot store), checked before anything is queued.
    const args = { id: newId(), jobId, body: body.trim() };
    const found = argsProblems('note.add', args);
    setProblem(found ? (found.body ?? Object.values(found)[0] ?? null) : null);
    if (found) return;
    if (await run(() => client.mutate('note.add', args))) setBody('');
  }
  const fieldProblem = problem ?? issues.body ?? null;

  return (
    <section className="ct-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Notes</h2>
      {canEdit ? (
        <form className="fs-form" noValidate onSubmit={(event) => void submit(event)}>
          <label className="fs-field" htmlFor={`${id}-body`}>
            <span>Add a note</span>
          </label>
          <textarea
            id={`${id}-body`}
            className="fs-input"
            rows={3}
            value={body}
            aria-invalid={fieldProblem ? true : undefined}
            aria-describedby={fieldProblem ? `${id}-problem` : undefined}
            onChange={(event) => setBody(event.target.value)}
          />
          {fieldProblem ? (
            <p id={`${id}-problem`} className="fs-error">
              {fieldProblem}
            </p>
          ) : null}
          {error && !fieldProblem ? (
            <p className="fs-error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" className="fs-button fs-button--secondary fs-button--block" disabled={busy}>
            Add note
          </button>
        </form>
      ) : null}
      {notes?.length === 0 ? <p className="fs-muted">No notes yet.</p> : null}
      {notes?.length ? (
        <ul className="ct-notes">
          {notes.map((note) => (
            <li key={note.id} className="ct-note">
              <p className="ct-note__body">{note.body}</p>
              <p className="ct-note__meta">
                {(note.authorId && names.get(note.authorId)) ?? 'Someone'} · {formatDateTime(note.occurredAt, clock)}
                {note._pendingSeq !== undefined ? (
                  <span className="ct-badge ct-badge--pending">Not sent yet</span>
                ) : null}
                <LateWorkMark row={note} />
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
