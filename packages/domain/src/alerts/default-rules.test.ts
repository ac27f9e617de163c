import { expect, test } from 'vitest';
import { alertRuleDefinitionSchema } from './alert-rule-definition';
import { matchesConditions } from './conditions';
import { DEFAULT_ALERT_RULES } from './default-rules';
import { renderTemplate } from './templates';

test('every default rule passes the same checks as alertRule.create', () => {
  for (const rule of DEFAULT_ALERT_RULES) {
    const { key: _key, ...definition } = rule;
    const parsed = alertRuleDefinitionSchema.safeParse(definition);
    expect(parsed.error?.issues.map((issue) => issue.message) ?? [], rule.key).toEqual([]);
  }
});

test('default rule keys are unique', () => {
  const keys = DEFAULT_ALERT_RULES.map((rule) => rule.key);
  expect(new Set(keys).size).toBe(keys.length);
});

test('the urgent rule fires for an urgent job nobody is assigned to, only', () => {
  const rule = DEFAULT_ALERT_RULES.find((candidate) => candidate.key === 'urgent-job-unassigned')!;
  expect(matchesConditions({ priority: 'urgent', assigned: false }, rule.conditions)).toBe(true);
  expect(matchesConditions({ priority: 'urgent', assigned: true }, rule.conditions)).toBe(false);
  expect(matchesConditions({ priority: 'high', assigned: false }, rule.conditions)).toBe(false);
});

test('the materials rule reads as the issue asks', () => {
  const rule = DEFAULT_ALERT_RULES.find((candidate) => candidate.key === 'job-waiting-on-materials')!;
  const data = { jobNumber: 'J-1042', toStatus: 'waiting_on_materials', title: 'Kitchen', customerName: 'Ada' };
  expect(matchesConditions(data, rule.conditions)).toBe(true);
  expect(renderTemplate(rule.template!.title, data, { escape: 'none' })).toBe('Job J-1042 is waiting on materials');
});

test('a new assignment is pushed to its contractor', () => {
  const rule = DEFAULT_ALERT_RULES.find((candidate) => candidate.event === 'assignment.created')!;
  expect(rule.channels).toEqual(['push']);
  expect(rule.recipients).toEqual(['assigned_contractor']);
  expect(
    renderTemplate(
      rule.template!.title,
      { title: 'Kitchen', scheduledStartLocal: 'Tue 24 Nov, 09:00' },
      { escape: 'none' },
    ),
  ).toBe('New job: Kitchen, Tue 24 Nov, 09:00');
});
