import { expect, test } from 'vitest';
import { TEXT_LIMITS, textProblem, textSchema } from './wire-formats';

test('textProblem: NUL and lone surrogates cannot be stored; whole emoji can', () => {
  expect(textProblem('Gate code 1234 🔑')).toBeUndefined();
  expect(textProblem('a\u0000b')).toBe('text may not contain the NUL character');
  for (const lone of ['x\ud83dy', '\udc00', 'end\ud800', '\ude00\ud83d']) {
    expect(textProblem(lone), JSON.stringify(lone)).toMatch(/lone UTF-16 surrogate/);
  }
});

test('textSchema: trims when asked, then checks lengths and well-formedness', () => {
  const name = textSchema({ trim: true, min: 1, max: TEXT_LIMITS.name });
  expect(name.parse('  Ada  ')).toBe('Ada');
  expect(name.safeParse('   ').success).toBe(false);
  expect(name.safeParse('x'.repeat(TEXT_LIMITS.name)).success).toBe(true);
  expect(name.safeParse('x'.repeat(TEXT_LIMITS.name + 1)).success).toBe(false);
  expect(name.safeParse('Ada\ud83d').error?.issues[0]?.message).toMatch(/lone UTF-16 surrogate/);
  expect(name.nullable().parse(null)).toBeNull();
  const notes = textSchema({ max: 10 });
  expect(notes.parse('')).toBe('');
  expect(notes.safeParse('a\u0000').error?.issues[0]?.message).toBe('text may not contain the NUL character');
});
