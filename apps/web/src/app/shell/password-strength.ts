/**
 * Password strength in words, for the meter under a new password. The
 * estimator (zxcvbn-ts with its English and common dictionaries, about a
 * megabyte) is imported on first use only, so the first visit does not pay
 * for it; until it has loaded, or when it cannot load offline, only the
 * length is judged.
 */
import { MIN_PASSWORD_LENGTH } from '@fieldsync/protocol';

export type StrengthLevel = 'too-short' | 'weak' | 'fair' | 'good' | 'strong';

export interface PasswordStrength {
  level: StrengthLevel;
  /** The word the meter shows: never colour alone. */
  label: string;
  /** 0–4 filled bars. */
  bars: number;
  /** One short tip from the estimator, when it has one. */
  hint: string | null;
}

const LABELS: Record<StrengthLevel, string> = {
  'too-short': `Too short — at least ${MIN_PASSWORD_LENGTH} characters`,
  weak: 'Weak',
  fair: 'Fair',
  good: 'Good',
  strong: 'Strong',
};

/** From the estimator's 0–4 score (null when it is not loaded) to what the meter shows. */
export function describeStrength(length: number, score: number | null, hint: string | null = null): PasswordStrength {
  if (length < MIN_PASSWORD_LENGTH) return { level: 'too-short', label: LABELS['too-short'], bars: 0, hint: null };
  // Without the estimator, length is all there is to go on.
  const judged = score ?? (length >= 16 ? 3 : length >= 12 ? 2 : 1);
  const level: StrengthLevel = judged >= 4 ? 'strong' : judged === 3 ? 'good' : judged === 2 ? 'fair' : 'weak';
  return { level, label: LABELS[level], bars: Math.max(1, Math.min(4, judged)), hint };
}

type Check = (password: string, userInputs: string[]) => { score: number; hint: string | null };
let estimator: Promise<Check> | null = null;

async function loadEstimator(): Promise<Check> {
  const { createEstimator } = await import('./zxcvbn-estimator');
  const zxcvbn = createEstimator();
  return (password, userInputs) => {
    const result = zxcvbn.check(password, userInputs);
    return { score: result.score, hint: result.feedback.warning || result.feedback.suggestions[0] || null };
  };
}

/**
 * Judges `password`, mentioning `userInputs` (the person's name, email,
 * company) as weak words. Loads the estimator on the first call; if it
 * cannot load (offline, an old cache), judges by length and tries again next time.
 */
export async function estimateStrength(password: string, userInputs: string[] = []): Promise<PasswordStrength> {
  if (password.length < MIN_PASSWORD_LENGTH) return describeStrength(password.length, null);
  estimator ??= loadEstimator();
  try {
    const check = await estimator;
    // Whole inputs and their words: "Ada Plumbing" makes both "ada" and "plumbing" weak parts.
    const words = userInputs.flatMap((input) => [input, ...input.split(/[^\p{L}\p{N}]+/u)]);
    const { score, hint } = check(password, [...new Set(words.filter((word) => word.length > 1))]);
    return describeStrength(password.length, score, hint);
  } catch {
    estimator = null;
    return describeStrength(password.length, null);
  }
}
