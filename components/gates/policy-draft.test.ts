import { describe, expect, test } from 'vitest';
import { BUILTIN_POLICY, type PolicyInput } from '@/lib/schemas';
import { bodyOf, checkDraft, draftOf, locate, newRule, type PolicyDraft } from './policy-draft';

const custom: PolicyInput = {
  slos: { labels: { tier: 'critical', team: 'payments' }, serviceTiers: [2, 1] },
  rules: [
    { kind: 'budget_remaining', below: 0.1, verdict: 'fail' },
    { kind: 'alert_firing', severity: 'ticket', verdict: 'warn' },
    { kind: 'burn_rate', window: '6h', above: 6, verdict: 'warn' },
  ],
  onMissingData: 'warn',
  onPartialData: 'evaluate',
  missingDataMandatory: false,
};

const withRule = (draft: PolicyDraft, index: number, patch: Partial<PolicyDraft['rules'][number]>): PolicyDraft => ({
  ...draft,
  rules: draft.rules.map((r, i) => (i === index ? { ...r, ...patch } : r)),
});

describe('draftOf and bodyOf', () => {
  test.each([
    ['the built-in policy', BUILTIN_POLICY],
    ['a policy with labels, tiers and every rule kind', custom],
  ])('round-trip %s unchanged (tiers sorted)', (_, policy) => {
    const check = checkDraft(draftOf(policy));
    expect(check).toEqual({ ok: true, input: { ...policy, slos: { ...policy.slos, serviceTiers: [...policy.slos.serviceTiers].sort() } } });
  });

  test('budget thresholds are typed as percentages and sent as fractions, without float noise', () => {
    const draft = draftOf(custom);
    expect(draft.rules[0]!.belowPct).toBe('10');
    expect(bodyOf(withRule(draft, 0, { belowPct: '12.5' })).rules![0]).toEqual({ kind: 'budget_remaining', below: 0.125, verdict: 'fail' });
    expect(bodyOf(withRule(draft, 0, { belowPct: '-50' })).rules![0]).toMatchObject({ below: -0.5 });
  });

  test('switching a rule’s kind and back keeps what was typed', () => {
    const draft = withRule(draftOf(custom), 2, { kind: 'alert_firing' });
    expect(bodyOf(draft).rules![2]).toEqual({ kind: 'alert_firing', severity: 'page', verdict: 'warn' });
    expect(bodyOf(withRule(draft, 2, { kind: 'burn_rate' })).rules![2]).toEqual(custom.rules[2]);
  });

  test('empty label rows are left out', () => {
    const draft: PolicyDraft = { ...draftOf(BUILTIN_POLICY), labels: [{ key: 1, name: ' ', value: '' }] };
    expect(bodyOf(draft).slos!.labels).toEqual({});
  });
});

describe('checkDraft', () => {
  const base = draftOf(custom);
  test.each<[string, PolicyDraft, Record<string, string>]>([
    [
      'a budget threshold that is not a number',
      withRule(base, 0, { belowPct: 'lots' }),
      { 'rules.0.below': 'must be a percentage from −1000 to 100, e.g. 25' },
    ],
    ['a budget threshold above 100%', withRule(base, 0, { belowPct: '150' }), { 'rules.0.below': 'must be a percentage from −1000 to 100, e.g. 25' }],
    ['a burn-rate threshold of 0', withRule(base, 2, { above: '0' }), { 'rules.2.above': 'must be above 0' }],
    ['a burn-rate threshold left empty', withRule(base, 2, { above: '' }), { 'rules.2.above': 'must be a number' }],
    [
      'a window that is not a duration',
      withRule(base, 2, { window: '90s' }),
      { 'rules.2.window': 'must be a whole number of minutes, hours or days, e.g. 5m, 1h or 3d' },
    ],
    ['a label key used twice', { ...base, labels: [...base.labels, { key: 7, name: 'tier', value: 'other' }] }, { 'slos.labels.tier': 'is used twice' }],
    ['a label value without a key', { ...base, labels: [{ key: 7, name: '', value: 'x' }] }, { 'slos.labels.#7': 'needs a key' }],
  ])('reports %s at its field', (_, draft, errors) => {
    expect(checkDraft(draft)).toEqual({ ok: false, errors });
  });

  test('more than 20 rules are refused at the rules list', () => {
    const draft: PolicyDraft = { ...base, rules: Array.from({ length: 21 }, (_, i) => newRule(i, 'budget_remaining')) };
    expect(checkDraft(draft)).toEqual({ ok: false, errors: { rules: 'at most 20 rules' } });
  });
});

describe('locate', () => {
  const draft = draftOf(custom);
  test.each([
    ['rules.1.severity', { id: `policy-rule-${draft.rules[1]!.key}-severity`, label: 'Rule 2 alert severity' }],
    ['rules.2.above', { id: `policy-rule-${draft.rules[2]!.key}-above`, label: 'Rule 3 burn-rate threshold' }],
    ['rules.0', { id: `policy-rule-${draft.rules[0]!.key}-kind`, label: 'Rule 1 kind' }],
    ['rules.9.below', { id: 'policy-rules-add', label: 'Rules' }],
    ['rules', { id: 'policy-rules-add', label: 'Rules' }],
    ['slos.labels.team', { id: `policy-label-${draft.labels[1]!.key}-name`, label: 'Label “team”' }],
    ['slos.labels.gone', { id: 'policy-labels-add', label: 'Labels' }],
    ['slos.serviceTiers.0', { id: 'policy-tier-1', label: 'Service tiers' }],
    ['onMissingData', { id: 'policy-missing-fail', label: 'On missing data' }],
    ['onPartialData', { id: 'policy-partial-warn', label: 'On provisional figures' }],
  ])('%s is shown at its control', (path, where) => {
    expect(locate(path, draft)).toEqual(where);
  });

  test('an error about the whole body has no field', () => {
    expect(locate('_', draft)).toBeNull();
  });
});
