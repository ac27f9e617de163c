/**
 * The answer of a state-machine check. `invalid_transition`: no one may make
 * this move from this status. `forbidden`: the move exists, but not for this
 * person. `message` is in plain words, fit to show on a phone.
 */
export type TransitionResult = { ok: true } | { ok: false; code: 'invalid_transition' | 'forbidden'; message: string };
