/**
 * The answer of a rule check: it holds, or it does not, with a code from the
 * shared error set and a message in plain words, fit to show on a phone.
 */
export type RuleCheck<Code extends string = string> = { ok: true } | { ok: false; code: Code; message: string };
