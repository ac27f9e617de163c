import { expect, test } from 'vitest';
import { alertRuleDefinitionSchema, alertRuleProblems } from './alert-rule-definition';

const rule = {
  name: 'Urgent tile jobs',
  event: 'job.created',
  conditions: { priority: { '=': 'urgent' }, trade: { in: ['tile'] } },
  channels: ['dashboard', 'email'],
  recipients: ['role:dispatcher'],
  throttleMinutes: 15,
  template: { title: 'Urgent: {{jobNumber}}', body: '{{title}}' },
};

function messages(input: unknown): string[] {
  return alertRuleDefinitionSchema.safeParse(input).error?.issues.map((issue) => issue.message) ?? [];
}

test('a good rule parses', () => {
  expect(messages(rule)).toEqual([]);
});

test('problems of each part are named in plain words', () => {
  expect(
    messages({
      ...rule,
      conditions: { colour: { '=': 'red' } },
      recipients: ['admins'],
      template: { title: '{{colour}}', body: '' },
    }),
  ).toEqual([
    "conditions: unknown field 'colour' for job.created",
    "recipients: unknown recipient 'admins' (use role:admin, role:dispatcher, assigned_contractor or user:<id>)",
    'template: title: unknown placeholder {{colour}} for job.created',
  ]);
});

test('a webhook channel needs its URL and secret', () => {
  expect(alertRuleProblems({ ...rule, channels: ['webhook'] })).toEqual([
    'webhook: the webhook channel needs a URL and a secret',
  ]);
  expect(
    alertRuleProblems({ ...rule, channels: ['webhook'], webhook: { url: 'https://example.com/hook', secret: 's' } }),
  ).toEqual([]);
});

test('the shape is checked too', () => {
  expect(messages({ ...rule, channels: [] })).toContain('choose at least one channel');
  expect(messages({ ...rule, channels: ['sms'] }).length).toBeGreaterThan(0);
  expect(messages({ ...rule, event: 'job.deleted' }).length).toBeGreaterThan(0);
  expect(messages({ ...rule, throttleMinutes: -1 }).length).toBeGreaterThan(0);
});

test('alertRuleProblems reads anything without throwing', () => {
  expect(
    alertRuleProblems({ event: 1, conditions: 'x', recipients: null, channels: 'dashboard' }).length,
  ).toBeGreaterThan(0);
});
