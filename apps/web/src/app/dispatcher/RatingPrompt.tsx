import { TEXT_LIMITS } from '@fieldsync/domain';
import { type FormEvent, useId, useState } from 'react';
import type { LocalRow } from '../../sync';
import { newId } from '../../sync';
import { useFieldsync, useLiveQuery } from '../../sync/react';
import { useAction } from '../shell/use-action';
import { PendingMark } from './ui';

const EMPTY: never[] = [];
const STAR_VALUES = [1, 2, 3, 4, 5] as const;

/** "1 star", "4 stars". */
export function starsLabel(stars: number): string {
  return stars === 1 ? '1 star' : `${stars} stars`;
}

/** Five stars, the first `stars` filled; read out as "4 stars". */
export function StarsShown({ stars }: { stars: number }) {
  return (
    <span className="dsp-stars-shown" role="img" aria-label={starsLabel(stars)}>
      {STAR_VALUES.map((value) => (
        <span key={value} aria-hidden="true" className={value <= stars ? 'dsp-star-on' : 'dsp-star-off'}>
          ★
        </span>
      ))}
    </span>
  );
}

/**
 * Once work on the job is completed, asks the dispatcher to rate each
 * contractor who finished it (1–5 stars and an optional comment); rated work
 * shows the stars given. Nothing shows until some assignment is completed.
 */
export function RatingPrompt({
  jobId,
  contractorName,
}: {
  jobId: string;
  contractorName: (contractorId: string) => string;
}) {
  const { db } = useFieldsync();
  const completed = useLiveQuery(
    () =>
      db.assignments
        .where('jobId')
        .equals(jobId)
        .filter((assignment) => assignment.status === 'completed')
        .toArray(),
    [db, jobId],
    EMPTY,
  );
  const ratings = useLiveQuery(
    () =>
      completed.length === 0
        ? Promise.resolve([] as LocalRow<'ratings'>[])
        : db.ratings
            .where('assignmentId')
            .anyOf(completed.map((assignment) => assignment.id))
            .toArray(),
    [db, completed],
    EMPTY,
  );
  if (completed.length === 0) return null;
  return (
    <>
      {completed.map((assignment) => {
        const rating = ratings.find((row) => row.assignmentId === assignment.id);
        const name = contractorName(assignment.contractorId);
        return rating ? (
          <RatingGiven key={assignment.id} name={name} rating={rating} />
        ) : (
          <RatingForm key={assignment.id} name={name} assignmentId={assignment.id} />
        );
      })}
    </>
  );
}

function RatingGiven({ name, rating }: { name: string; rating: LocalRow<'ratings'> }) {
  return (
    <section className="dsp-box dsp-rating" aria-label={`Your rating of ${name}'s work`}>
      <p className="dsp-rating-given">
        <span>Your rating of {name}'s work:</span> <StarsShown stars={rating.stars} />{' '}
        <span className="dsp-muted">{starsLabel(rating.stars)}</span> <PendingMark pending={rating._pendingSeq} />
      </p>
      {rating.comment ? <p className="dsp-pre dsp-rating-comment">“{rating.comment}”</p> : null}
    </section>
  );
}

function RatingForm({ name, assignmentId }: { name: string; assignmentId: string }) {
  const client = useFieldsync();
  const { run, error, busy } = useAction('computer');
  const [stars, setStars] = useState<number | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const ids = useId();
  const headingId = `${ids}-h`;
  const shown = hovered ?? stars ?? 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (stars === null) {
      setMissing(true);
      return;
    }
    const text = comment.trim();
    // On success the live query swaps this form for the stars given.
    await run(() =>
      client.mutate('rating.add', { id: newId(), assignmentId, stars, ...(text ? { comment: text } : {}) }),
    );
  };

  return (
    <form className="dsp-box dsp-rating" aria-labelledby={headingId} onSubmit={submit} noValidate>
      <h2 id={headingId}>Rate {name}'s work</h2>
      <fieldset
        className="dsp-stars"
        aria-describedby={missing && stars === null ? `${ids}-missing` : undefined}
        onMouseLeave={() => setHovered(null)}
      >
        <legend className="dsp-visually-hidden">Stars</legend>
        {STAR_VALUES.map((value) => (
          <label key={value} className={value <= shown ? 'dsp-star dsp-star-lit' : 'dsp-star'}>
            <input
              type="radio"
              name={`${ids}-stars`}
              value={value}
              checked={stars === value}
              onChange={() => {
                setStars(value);
                setMissing(false);
              }}
              onMouseEnter={() => setHovered(value)}
            />
            <span aria-hidden="true" onMouseEnter={() => setHovered(value)}>
              ★
            </span>
            <span className="dsp-visually-hidden">{starsLabel(value)}</span>
          </label>
        ))}
        <span className="dsp-muted dsp-stars-words" aria-hidden="true">
          {shown > 0 ? starsLabel(shown) : 'Choose 1 to 5 stars'}
        </span>
      </fieldset>
      {missing && stars === null ? (
        <p id={`${ids}-missing`} className="dsp-error" role="alert">
          Choose how many stars to give.
        </p>
      ) : null}
      <label className="dsp-rating-comment-field">
        Comment (optional)
        <textarea
          rows={2}
          maxLength={TEXT_LIMITS.reason}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
        />
      </label>
      {error ? (
        <p className="dsp-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dsp-form-actions">
        <button type="submit" className="dsp-button dsp-button-primary" disabled={busy}>
          Save rating
        </button>
      </div>
    </form>
  );
}
