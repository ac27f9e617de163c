import { expect, test } from 'vitest';
import { z } from 'zod';
import { mutationArgsSchemas } from './mutations';
import { describeIssues, plainIssues, plainIssuesByField } from './plain-issues';

const ID = '00000000-0000-4000-8000-000000000001';

function issuesOf(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a failure');
  return result.error.issues;
}

test('numbers out of range name the field and both ends people know', () => {
  const schema = z.object({ lat: z.number().min(-90).max(90), quantity: z.number().positive().max(99_999_999.99) });
  expect(plainIssuesByField(issuesOf(schema, { lat: 91, quantity: 99_999_999_999 }))).toEqual({
    lat: 'Latitude must be between −90 and 90.',
    quantity: 'Quantity must be at most 99,999,999.99.',
  });
  expect(plainIssuesByField(issuesOf(schema, { lat: 0, quantity: 0 }))).toEqual({
    quantity: 'Quantity must be more than 0.',
  });
});

test('text, required fields, formats and choices', () => {
  const schema = z.strictObject({
    title: z.string().trim().min(1).max(5),
    email: z.email(),
    priority: z.enum(['low', 'high']),
    body: z.string(),
  });
  const byField = plainIssuesByField(issuesOf(schema, { title: '', email: 'nope', priority: 'x', extra: 1 }));
  expect(byField).toEqual({
    title: 'Title is required.',
    email: 'Email must be a valid email address, like name@example.com.',
    priority: 'Priority must be one of: low, high.',
    body: 'Note is required.',
    '': 'Extra cannot be sent with this change.',
  });
  expect(plainIssuesByField(issuesOf(schema.pick({ title: true }), { title: 'toolong' }))).toEqual({
    title: 'Title must be at most 5 characters.',
  });
});

test('update args skip the patch level; catalogue schemas read in plain words', () => {
  const issues = issuesOf(mutationArgsSchemas['customer.update'], {
    id: ID,
    patch: { lat: 120 },
    base: { lat: null },
  });
  expect(plainIssues(issues)).toEqual([{ field: 'lat', message: 'Latitude must be between −90 and 90.' }]);
  const note = issuesOf(mutationArgsSchemas['note.add'], { id: ID, jobId: ID, body: '   ' });
  expect(describeIssues(note)).toBe('Note is required.');
});

test('never a schema library’s wording', () => {
  const schema = z.object({ quantity: z.number(), when: z.iso.datetime(), n: z.number().multipleOf(0.01) });
  const text = describeIssues(issuesOf(schema, { quantity: 'a', when: 'later', n: 1.234 }));
  expect(text).toBe('Quantity must be a number. When must be a date and time. N may have at most 2 decimals.');
  expect(text).not.toMatch(/expected|Invalid|Too big|Too small/);
});

test('custom checks about text name the field and drop the technical detail', () => {
  const note = issuesOf(mutationArgsSchemas['note.add'], { id: ID, jobId: ID, body: 'half \uD83D emoji' });
  expect(describeIssues(note)).toBe('Note holds a broken character.');
});
