import type { AlertRule } from '@fieldsync/domain';
import { mutationArgsSchemas } from '@fieldsync/protocol';
import { expect, test } from 'vitest';
import { draftOfRule, newRuleDraft, ruleCreateArgs, ruleUpdatePatch } from './alert-rule-form';

const ID = '00000000-0000-4000-8000-0000000a1e01';
let next = 0;
const key = () => `k${++next}`;

function rule(fields: Partial<AlertRule> = {}): AlertRule {
  return {
    id: ID,
    version: 3,
    createdAt: '2026-11-20T09:00:00.000Z',
    updatedAt: '2026-11-20T09:00:00.000Z',
    deletedAt: null,
    name: 'Urgent jobs',
    event: 'job.created',
    conditions: { priority: { '=': 'urgent' } },
    channels: ['dashboard', 'webhook'],
    recipients: ['role:dispatcher'],
    throttleMinutes: 10,
    active: true,
    webhookUrl: 'https://hooks.example.com/in',
    template: null,
    key: null,
    ...fields,
  };
}

test('a new rule becomes create args the catalogue schema accepts', () => {
  const draft = { ...newRuleDraft('job.created'), name: '  Urgent work ', throttleMinutes: '15' };
  draft.conditions = [{ key: key(), field: 'priority', op: '=', value: 'urgent', values: [] }];
  const outcome = ruleCreateArgs(ID, draft);
  expect(outcome.ok).toBe(true);
  if (!outcome.ok) return;
  expect(outcome.args).toEqual({
    id: ID,
    name: 'Urgent work',
    event: 'job.created',
    conditions: { priority: { '=': 'urgent' } },
    channels: ['dashboard'],
    recipients: ['role:dispatcher'],
    throttleMinutes: 15,
    active: true,
  });
  expect(mutationArgsSchemas['alertRule.create'].safeParse(outcome.args).success).toBe(true);
});

test('problems land on the part of the form they are about', () => {
  const draft = {
    ...newRuleDraft('device.stale'),
    channels: ['webhook' as const],
    recipients: [],
    throttleMinutes: '1.5',
    customTemplate: true,
    templateTitle: 'Hi {{colour}}',
  };
  const outcome = ruleCreateArgs(ID, draft);
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  expect(outcome.problems).toMatchObject({
    name: 'Give the alert a name.',
    throttleMinutes: expect.stringMatching(/whole number/),
    webhookUrl: expect.stringMatching(/address/),
    recipients: 'Name at least one recipient.',
    template: expect.stringMatching(/unknown placeholder \{\{colour\}\}/),
  });
});

test('editing with the secret left blank keeps the stored webhook: no webhook in the patch', () => {
  const stored = rule();
  const draft = { ...draftOfRule(stored, key), name: 'Urgent jobs!' };
  expect(draft.webhookSecret).toBe('');
  expect(ruleUpdatePatch(stored, draft)).toEqual({ ok: true, patch: { name: 'Urgent jobs!' } });
  expect(ruleUpdatePatch(stored, draftOfRule(stored, key))).toEqual({ ok: true, patch: {} });
});

test('a changed webhook address asks for the secret again, then sends both', () => {
  const stored = rule();
  const draft = { ...draftOfRule(stored, key), webhookUrl: 'https://hooks.example.com/new' };
  const refused = ruleUpdatePatch(stored, draft);
  expect(refused.ok).toBe(false);
  if (!refused.ok) expect(refused.problems.webhookSecret).toMatch(/type the secret again/);
  const outcome = ruleUpdatePatch(stored, { ...draft, webhookSecret: 'n3w' });
  expect(outcome).toEqual({ ok: true, patch: { webhook: { url: 'https://hooks.example.com/new', secret: 'n3w' } } });
});

test('dropping the webhook channel and its address clears the webhook; a custom wording is sent, and cleared', () => {
  const stored = rule();
  const draft = { ...draftOfRule(stored, key), channels: ['dashboard' as const], webhookUrl: '' };
  expect(ruleUpdatePatch(stored, draft)).toEqual({ ok: true, patch: { channels: ['dashboard'], webhook: null } });

  const worded = {
    ...draftOfRule(stored, key),
    customTemplate: true,
    templateTitle: 'Urgent: {{title}}',
    templateBody: '',
  };
  const patch = ruleUpdatePatch(stored, worded);
  expect(patch).toEqual({ ok: true, patch: { template: { title: 'Urgent: {{title}}', body: '' } } });
  const withTemplate = rule({ template: { title: 'Urgent: {{title}}', body: '' } });
  expect(ruleUpdatePatch(withTemplate, { ...draftOfRule(withTemplate, key), customTemplate: false })).toEqual({
    ok: true,
    patch: { template: null },
  });
  if (patch.ok) {
    const args = { id: ID, patch: patch.patch, base: { template: null } };
    expect(mutationArgsSchemas['alertRule.update'].safeParse(args).success).toBe(true);
  }
});
