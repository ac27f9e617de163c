import { expect, test } from 'vitest';
import { ALERT_EVENTS } from './alert-events';
import {
  DEFAULT_ALERT_TEMPLATES,
  MISSING_VALUE,
  renderTemplate,
  templatePlaceholders,
  templateProblems,
} from './templates';

const data = {
  jobNumber: 'J-1042',
  title: '<script>alert("x")</script> & co',
  stars: 4,
  assigned: false,
  reason: null,
};

test('placeholders are filled from the data', () => {
  expect(renderTemplate('Job {{jobNumber}} is waiting on materials', data, { escape: 'none' })).toBe(
    'Job J-1042 is waiting on materials',
  );
  expect(renderTemplate('{{ jobNumber }}: {{stars}} stars, assigned {{assigned}}', data, { escape: 'none' })).toBe(
    'J-1042: 4 stars, assigned no',
  );
});

test('html escaping covers values, not the template text', () => {
  expect(renderTemplate('<p>{{title}}</p>', data, { escape: 'html' })).toBe(
    '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</p>',
  );
  expect(renderTemplate('{{title}}', data, { escape: 'none' })).toBe('<script>alert("x")</script> & co');
  expect(renderTemplate('{{title}}', { title: "O'Brien" }, { escape: 'html' })).toBe('O&#39;Brien');
});

test('missing, null and non-text values render as a dash', () => {
  expect(MISSING_VALUE).toBe('—');
  expect(renderTemplate('Reason: {{reason}}', data, { escape: 'none' })).toBe('Reason: —');
  expect(renderTemplate('{{contractorName}}', data, { escape: 'none' })).toBe('—');
  expect(renderTemplate('{{x}}', { x: { nested: 1 } }, { escape: 'none' })).toBe('—');
  expect(renderTemplate('{{x}}', { x: Number.NaN }, { escape: 'none' })).toBe('—');
  expect(renderTemplate('{{x}}', null, { escape: 'html' })).toBe('—');
});

test('broken braces stay as text when rendering', () => {
  expect(renderTemplate('Job {{jobNumber', data, { escape: 'none' })).toBe('Job {{jobNumber');
  expect(renderTemplate('a }} b {{jobNumber}}', data, { escape: 'none' })).toBe('a }} b J-1042');
  expect(renderTemplate('{ "job": "{{jobNumber}}" }', data, { escape: 'none' })).toBe('{ "job": "J-1042" }');
});

test('templateProblems names unknown placeholders and unbalanced braces', () => {
  expect(templateProblems('job.created', 'Job {{jobNumber}}')).toEqual([]);
  expect(templateProblems('job.created', 'Job {{colour}}')).toEqual(['unknown placeholder {{colour}} for job.created']);
  expect(templateProblems('job.created', 'Job {{jobNumber')).toEqual(["'{{' without a closing '}}'"]);
  expect(templateProblems('job.created', 'Job jobNumber}}')).toEqual(["'}}' without an opening '{{'"]);
  expect(templateProblems('job.created', 'Job {{}}')).toEqual(['an empty placeholder {{}}']);
  expect(templateProblems('job.created', 'Job {{job number}}')).toEqual(["'{{job number}}' is not a field name"]);
  expect(templateProblems('job.created', { title: '{{stars}}', body: '{{jobNumber' })).toEqual([
    'title: unknown placeholder {{stars}} for job.created',
    "body: '{{' without a closing '}}'",
  ]);
  expect(templateProblems('job.created', { title: 'x' })).toEqual(['the template needs a body (it may be empty)']);
  expect(templateProblems('job.created', 42)).toEqual(['a template needs a title and a body']);
});

test('placeholders are listed once each', () => {
  expect(templatePlaceholders('{{a}} {{ b }} {{a}} {{c')).toEqual(['a', 'b']);
});

test('every event has a default template using only its fields', () => {
  for (const event of ALERT_EVENTS) {
    expect(templateProblems(event, DEFAULT_ALERT_TEMPLATES[event]), event).toEqual([]);
  }
});
