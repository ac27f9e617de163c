/**
 * A job's required skills against a contractor's skills. Skills are free
 * labels typed by people, so `Hardwood refinishing ` and `hardwood
 * refinishing` are the same skill: compared trimmed, with inner white space
 * collapsed, ignoring case (plain `toLowerCase`, not the device's locale, so
 * every device decides alike).
 */

/** The form two skill labels are compared in. */
export function skillKey(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** How a contractor's skills cover a job's required skills. */
export type SkillMatch = {
  /** Required skills the contractor has, spelled as the job spells them. */
  matched: string[];
  /** Required skills the contractor lacks, spelled as the job spells them. */
  missing: string[];
};

/**
 * Splits the job's required skills into those the contractor has and those
 * they lack. Blank labels and repeats (by {@link skillKey}) count once; the
 * job's order is kept.
 */
export function matchSkills(required: readonly string[], has: readonly string[]): SkillMatch {
  const own = new Set(has.map(skillKey));
  const seen = new Set<string>();
  const matched: string[] = [];
  const missing: string[] = [];
  for (const label of required) {
    const key = skillKey(label);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    (own.has(key) ? matched : missing).push(label.trim());
  }
  return { matched, missing };
}
