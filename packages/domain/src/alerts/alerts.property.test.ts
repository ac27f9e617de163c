import fc from 'fast-check';
import { expect, test } from 'vitest';
import { ALERT_EVENT_FIELDS, ALERT_EVENTS } from './alert-events';
import { alertRuleProblems } from './alert-rule-definition';
import { ALERT_CONDITION_OPERATORS, conditionProblems, matchesConditions } from './conditions';
import { DEFAULT_ALERT_RULES } from './default-rules';
import { parseAlertRecipient, recipientProblems } from './recipients';
import { renderTemplate, templatePlaceholders, templateProblems } from './templates';
import { throttleOutcome } from './throttle';

const FIELD_NAMES = [...new Set(Object.values(ALERT_EVENT_FIELDS).flatMap((fields) => Object.keys(fields)))];

const eventName = fc.oneof(fc.constantFrom(...ALERT_EVENTS), fc.string());
const fieldName = fc.oneof(fc.constantFrom(...FIELD_NAMES, '__proto__', 'constructor', 'toString'), fc.string());
const operator = fc.oneof(fc.constantFrom(...ALERT_CONDITION_OPERATORS), fc.string());
const scalar = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom('urgent', 'high', 'waiting_on_materials', '2026-11-21T09:00:00Z', ''),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.jsonValue(), fc.anything());
const conditions = fc.oneof(
  fc.dictionary(fieldName, fc.oneof(fc.dictionary(operator, value, { maxKeys: 3 }), value), { maxKeys: 4 }),
  fc.anything(),
);
const eventData = fc.oneof(fc.dictionary(fieldName, value, { maxKeys: 8 }), fc.anything());
const templateText = fc.oneof(
  fc.string(),
  fc
    .array(fc.oneof(fc.constantFrom('{{', '}}', '{', '}', ' ', 'jobNumber', 'colour', '<script>'), fc.string()), {
      maxLength: 10,
    })
    .map((pieces) => pieces.join('')),
);

test('matching and checking conditions never throw', () => {
  fc.assert(
    fc.property(eventName, eventData, conditions, (event, data, conds) => {
      expect(typeof matchesConditions(data, conds)).toBe('boolean');
      expect(Array.isArray(conditionProblems(event, conds))).toBe(true);
    }),
    { numRuns: 2_000 },
  );
});

test('rendering and checking templates never throw', () => {
  fc.assert(
    fc.property(
      eventName,
      templateText,
      eventData,
      fc.constantFrom('html', 'none') as fc.Arbitrary<'html' | 'none'>,
      (event, template, data, escapeMode) => {
        expect(typeof renderTemplate(template, data, { escape: escapeMode })).toBe('string');
        expect(Array.isArray(templateProblems(event, template))).toBe(true);
        expect(Array.isArray(templatePlaceholders(template))).toBe(true);
      },
    ),
    { numRuns: 2_000 },
  );
  fc.assert(
    fc.property(fc.anything(), fc.anything(), fc.anything(), (event, template, data) => {
      expect(typeof renderTemplate(template as string, data, { escape: 'html' })).toBe('string');
      expect(Array.isArray(templateProblems(event, template))).toBe(true);
    }),
  );
});

test('html rendering never lets a value open a tag', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      const rendered = renderTemplate('{{title}}', { title: text }, { escape: 'html' });
      expect(rendered).not.toMatch(/[<>"']/);
    }),
  );
});

test('a template without problems keeps its text outside the placeholders', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[^{}]*$/), (text) => {
      expect(templateProblems('job.created', text)).toEqual([]);
      expect(renderTemplate(text, {}, { escape: 'html' })).toBe(text);
    }),
  );
});

test('recipients, rules and the throttle never throw', () => {
  fc.assert(
    fc.property(fc.anything(), fc.anything(), fc.anything(), (event, recipients, template) => {
      expect(typeof parseAlertRecipient(recipients).ok).toBe('boolean');
      expect(Array.isArray(recipientProblems(event, recipients))).toBe(true);
      expect(
        Array.isArray(alertRuleProblems({ event, conditions: template, recipients, channels: recipients, template })),
      ).toBe(true);
    }),
  );
  fc.assert(
    fc.property(
      fc.oneof(fc.date({ noInvalidDate: false }), fc.string(), fc.constant(null)),
      fc.oneof(fc.date({ noInvalidDate: false }), fc.string()),
      fc.oneof(fc.integer(), fc.double()),
      (lastDeliveredAt, now, throttleMinutes) => {
        expect(['send', 'throttled']).toContain(throttleOutcome({ lastDeliveredAt, now, throttleMinutes }));
      },
    ),
  );
});

test('a match is throttled exactly while less than throttleMinutes have passed', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 10_000 }),
      fc.integer({ min: -10_000, max: 10_000_000 }),
      (minutes, gapMs) => {
        const now = Date.UTC(2026, 10, 21, 10);
        const outcome = throttleOutcome({
          lastDeliveredAt: new Date(now - gapMs),
          now: new Date(now),
          throttleMinutes: minutes,
        });
        expect(outcome).toBe(minutes > 0 && gapMs < minutes * 60_000 ? 'throttled' : 'send');
      },
    ),
  );
});

test('every default rule validates', () => {
  for (const rule of DEFAULT_ALERT_RULES) {
    expect(alertRuleProblems(rule), rule.key).toEqual([]);
  }
});
