import fc from 'fast-check';
import { expect, test } from 'vitest';
import { matchSkills, skillKey } from './skills';

test('skills compare trimmed, white space collapsed, ignoring case', () => {
  expect(skillKey('  Hardwood\tREFINISHING ')).toBe('hardwood refinishing');
  expect(matchSkills(['Hardwood refinishing', 'Stairs'], ['hardwood  refinishing'])).toEqual({
    matched: ['Hardwood refinishing'],
    missing: ['Stairs'],
  });
});

test('blank and repeated required skills count once', () => {
  expect(matchSkills(['tile', ' ', 'Tile', 'grout'], ['TILE'])).toEqual({ matched: ['tile'], missing: ['grout'] });
  expect(matchSkills([], ['tile'])).toEqual({ matched: [], missing: [] });
});

test('every distinct required skill is either matched or missing, never both', () => {
  fc.assert(
    fc.property(fc.array(fc.string()), fc.array(fc.string()), (required, has) => {
      const { matched, missing } = matchSkills(required, has);
      const keys = new Set(required.map(skillKey).filter((key) => key !== ''));
      expect(matched.length + missing.length).toBe(keys.size);
      const own = new Set(has.map(skillKey));
      for (const label of matched) expect(own.has(skillKey(label))).toBe(true);
      for (const label of missing) expect(own.has(skillKey(label))).toBe(false);
    }),
  );
});
