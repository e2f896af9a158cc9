import { describe, expect, test } from 'vitest';
import { BUILTIN_POLICY, PolicyInput, type PolicyInputDraft } from '../schemas/gate';
import { budgetBurned, countedSlos, deployMessage, deployVerdict, evaluateGate, stricterMissingData, type GateSlo } from './gate';

const slo = (over: Partial<GateSlo> = {}): GateSlo => ({
  slo: 'availability',
  name: 'Availability',
  labels: {},
  serviceTier: 1,
  budgetRemaining: 0.8,
  firing: [],
  burnRates: { '1h': 0.5 },
  dataState: 'ok',
  provisional: null,
  budgetJudged: true,
  ...over,
});
const page = { severity: 'page' as const, longWindow: '1h', shortWindow: '5m', threshold: 14.4 };
const ticket = { severity: 'ticket' as const, longWindow: '1d', shortWindow: '2h', threshold: 3 };
const policy = (draft: PolicyInputDraft = {}) => PolicyInput.parse(draft);

describe('evaluateGate with the built-in policy (fail < 0% or page; warn < 25% or ticket)', () => {
  test.each([
    ['healthy', slo(), 'pass'],
    ['budget exactly 25% left: not below', slo({ budgetRemaining: 0.25 }), 'pass'],
    ['budget just under 25%', slo({ budgetRemaining: 0.2499 }), 'warn'],
    ['budget exactly 0: not below 0', slo({ budgetRemaining: 0 }), 'warn'],
    ['budget overspent', slo({ budgetRemaining: -0.001 }), 'fail'],
    ['ticket alert firing', slo({ firing: [ticket] }), 'warn'],
    ['page alert firing', slo({ firing: [page] }), 'fail'],
    ['no data: fail-closed', slo({ budgetRemaining: null, dataState: 'missing' }), 'fail'],
    ['stale data: fail-closed', slo({ dataState: 'stale' }), 'fail'],
  ] as const)('%s -> %s', (_, input, want) => {
    expect(evaluateGate(BUILTIN_POLICY, [input]).verdict).toBe(want);
  });

  test('the verdict is the worst SLO; reasons name the SLO, rule, observed and threshold, worst first', () => {
    const decision = evaluateGate(BUILTIN_POLICY, [
      slo({ slo: 'latency', name: 'Latency', budgetRemaining: 0.1 }),
      slo({ slo: 'availability', budgetRemaining: -0.123, firing: [page] }),
    ]);
    expect(decision.verdict).toBe('fail');
    expect(decision.reasons).toEqual([
      {
        slo: 'availability',
        rule: 'budget_remaining < 0%',
        verdict: 'fail',
        observed: -0.123,
        threshold: 0,
        observedText: '−13%',
        thresholdText: '0%',
        message: 'Availability: −13% of the error budget left, below 0%',
      },
      {
        slo: 'availability',
        rule: 'alert_firing page',
        verdict: 'fail',
        observed: '1h/5m above 14.4×',
        threshold: 'page',
        observedText: '1h/5m above 14.4×',
        thresholdText: 'page',
        message: 'Availability: page burn-rate alert firing (1h/5m above 14.4×)',
      },
      {
        slo: 'latency',
        rule: 'budget_remaining < 25%',
        verdict: 'warn',
        observed: 0.1,
        threshold: 0.25,
        observedText: '10%',
        thresholdText: '25%',
        message: 'Latency: 10% of the error budget left, below 25%',
      },
      {
        slo: 'availability',
        rule: 'budget_remaining < 25%',
        verdict: 'warn',
        observed: -0.123,
        threshold: 0.25,
        observedText: '−13%',
        thresholdText: '25%',
        message: 'Availability: −13% of the error budget left, below 25%',
      },
    ]);
    expect(decision.dataState).toBe('ok');
  });

  test.each<[number, number, string]>([
    // Issue 13, point 4: a figure is never shown on the wrong side of its threshold, nor with a second minus sign.
    [0.2499, 0.25, 'Availability: 24% of the error budget left, below 25%'],
    [-0.00001, 0, 'Availability: −0.001% of the error budget left, below 0%'],
    [-0.185, 0, 'Availability: −19% of the error budget left, below 0%'],
    [0.0999, 0.1, 'Availability: 9.9% of the error budget left, below 10%'],
    [0.99999, 1, 'Availability: 99.9% of the error budget left, below 100%'],
  ])('budget %d below %d reads on the right side: %s', (remaining, below, message) => {
    const [reason] = evaluateGate({ ...BUILTIN_POLICY, rules: [{ kind: 'budget_remaining', below, verdict: 'warn' }] }, [
      slo({ budgetRemaining: remaining }),
    ]).reasons;
    expect(reason?.message).toBe(message);
  });

  test.each<[number, number, string]>([
    [14.4001, 14.4, 'Availability: burning 14.41× the sustainable rate over 1h, above 14.4×'],
    [2.0000001, 2, 'Availability: burning 2.01× the sustainable rate over 1h, above 2×'],
  ])('burn rate %d above %d reads above it: %s', (rate, above, message) => {
    const [reason] = evaluateGate({ ...BUILTIN_POLICY, rules: [{ kind: 'burn_rate', window: '1h', above, verdict: 'warn' }] }, [
      slo({ burnRates: { '1h': rate } }),
    ]).reasons;
    expect(reason?.message).toBe(message);
  });

  test('missing data cannot be checked against rules; stale data still is', () => {
    const missing = evaluateGate(BUILTIN_POLICY, [slo({ budgetRemaining: null, dataState: 'missing' })]);
    expect(missing.reasons.map((r) => r.rule)).toEqual(['data missing']);
    expect(missing.dataState).toBe('missing');
    const stale = evaluateGate(BUILTIN_POLICY, [slo({ dataState: 'stale', budgetRemaining: -1 })]);
    expect(stale.reasons.map((r) => r.rule)).toEqual(['data stale', 'budget_remaining < 0%', 'budget_remaining < 25%']);
    expect(stale.dataState).toBe('stale');
  });

  test('no SLOs at all is missing data: fail-closed', () => {
    const decision = evaluateGate(BUILTIN_POLICY, []);
    expect(decision).toMatchObject({ verdict: 'fail', dataState: 'no_slos' });
    expect(decision.reasons[0]!.message).toBe('The service has no SLOs: nothing measures it');
  });
});

describe('evaluateGate: configurable policies', () => {
  test.each([
    ['warn', 'warn'],
    ['pass', 'pass'],
  ] as const)('onMissingData %s', (onMissingData, want) => {
    expect(evaluateGate(policy({ rules: BUILTIN_POLICY.rules, onMissingData }), [slo({ budgetRemaining: null, dataState: 'missing' })]).verdict).toBe(want);
    expect(evaluateGate(policy({ onMissingData }), []).verdict).toBe(want);
  });

  test('burn_rate rule: above, not at, the threshold; windows without events never trip it', () => {
    const p = policy({ rules: [{ kind: 'burn_rate', window: '1h', above: 2, verdict: 'warn' }] });
    expect(evaluateGate(p, [slo({ burnRates: { '1h': 2 } })]).verdict).toBe('pass');
    expect(evaluateGate(p, [slo({ burnRates: { '1h': 2.01 } })]).verdict).toBe('warn');
    expect(evaluateGate(p, [slo({ burnRates: { '1h': null } })]).verdict).toBe('pass');
    expect(evaluateGate(p, [slo({ burnRates: {} })]).verdict).toBe('pass');
  });

  test('a policy without rules passes whatever the figures (data permitting)', () => {
    expect(evaluateGate(policy(), [slo({ budgetRemaining: -5, firing: [page] })]).verdict).toBe('pass');
  });

  test('selectors: SLOs by label and by service tier', () => {
    const slos = [
      slo({ slo: 'a', labels: { gate: 'yes' }, budgetRemaining: -1 }),
      slo({ slo: 'b', labels: { gate: 'no' }, budgetRemaining: -1 }),
      slo({ slo: 'c', serviceTier: 3, labels: { gate: 'yes' } }),
    ];
    expect(countedSlos(policy({ slos: { labels: { gate: 'yes' } } }), slos).map((s) => s.slo)).toEqual(['a', 'c']);
    expect(countedSlos(policy({ slos: { serviceTiers: [3] } }), slos).map((s) => s.slo)).toEqual(['c']);
    const decision = evaluateGate(policy({ rules: BUILTIN_POLICY.rules, slos: { labels: { gate: 'yes' }, serviceTiers: [3] } }), slos);
    expect(decision.verdict).toBe('pass');
    expect(evaluateGate(policy({ rules: BUILTIN_POLICY.rules, slos: { labels: { team: 'x' } } }), slos).reasons[0]!.message).toBe(
      'No SLO of the service matches the policy',
    );
  });
});

describe('deploy ledger', () => {
  test.each([
    [14.4, 60, 43_200, 0.02], // the Workbook's page tier: 2% of a 30-day budget in an hour
    [1, 43_200, 43_200, 1],
    [0, 60, 43_200, 0],
    [null, 60, 43_200, null],
  ])('budgetBurned(%s, %d min, %d min period) = %s', (rate, window, period, want) => {
    const got = budgetBurned(rate, window, period);
    if (want === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(want, 12);
  });

  test.each([
    [0.031, 0.002, true, 'burned_more'],
    [0.004, 0, true, 'ok'], // under half a percent: noise
    [0.01, 0.006, true, 'ok'], // not twice the hour before
    [0.012, 0.006, true, 'burned_more'],
    [null, 0.01, true, 'no_data'],
    [0.5, 0, false, 'pending'],
  ] as const)('after %s, before %s, window ended %s -> %s', (after, before, ended, want) => {
    expect(deployVerdict(after, before, ended)).toBe(want);
  });

  test('messages', () => {
    expect(deployMessage('v1.42', '1h', 0.031, 0.002, true)).toBe('v1.42 burned 3.1% of the budget in 1 h; the hour before burned 0.2%');
    expect(deployMessage('v2', '1h', 0.01, null, false)).toBe('v2 burned 1.0% of the budget in 1 h so far; the time before had no events');
    expect(deployMessage('v3', '1h', null, 0, true)).toBe('v3: no events in the 1 h after it; the hour before burned 0%');
  });
});

describe('provisional figures (onPartialData)', () => {
  const provisional = 'Provisional: 4 min of 28 days measured.';
  const young = slo({ dataState: 'partial', provisional, budgetRemaining: -13.28, firing: [] });
  const policy = (onPartialData: 'evaluate' | 'warn' | 'fail') => ({ ...BUILTIN_POLICY, onPartialData });

  test('warn (the default): a provisional budget that breaks a rule warns, never fails, and says why', () => {
    expect(PolicyInput.parse({}).onPartialData).toBe('warn');
    const decision = evaluateGate(policy('warn'), [young]);
    expect(decision.verdict).toBe('warn');
    expect(decision.dataState).toBe('partial');
    expect(decision.reasons.map((r) => [r.rule, r.verdict])).toEqual([
      ['budget_remaining < 0%', 'warn'],
      ['budget_remaining < 25%', 'warn'],
    ]);
    expect(decision.reasons[0]!.message).toBe(
      'Availability: −1328% of the error budget left, below 0% (provisional: 4 min of 28 days measured; it may warn, not fail)',
    );
    // A healthy young SLO passes: provisional figures that break no rule say nothing.
    expect(evaluateGate(policy('warn'), [slo({ dataState: 'partial', provisional, budgetRemaining: 0.9 })]).reasons).toEqual([]);
  });

  test('evaluate: judged as if complete', () => {
    const decision = evaluateGate(policy('evaluate'), [young]);
    expect(decision.verdict).toBe('fail');
    expect(decision.reasons.map((r) => r.rule)).toEqual(['budget_remaining < 0%', 'budget_remaining < 25%']);
  });

  test('fail: any provisional SLO fails', () => {
    const decision = evaluateGate(policy('fail'), [slo({ dataState: 'partial', provisional, budgetRemaining: 0.9 })]);
    expect(decision.verdict).toBe('fail');
    expect(decision.reasons.map((r) => [r.rule, r.verdict])).toEqual([['data partial', 'fail']]);
  });

  test('alerts on a provisional SLO still count in full (they have their own minimum-events guard)', () => {
    const decision = evaluateGate(policy('warn'), [slo({ dataState: 'partial', provisional, firing: [page] })]);
    expect(decision.verdict).toBe('fail');
  });

  test('a budget over fewer events than the minimum is never judged: evaluate says nothing, warn warns, fail fails', () => {
    const few = slo({
      budgetRemaining: -9,
      budgetJudged: false,
      dataState: 'partial',
      provisional: 'Provisional: 12 events in the window, fewer than the 100 its figures need.',
    });
    expect(evaluateGate(policy('evaluate'), [few]).verdict).toBe('pass');
    const warned = evaluateGate(policy('warn'), [few]);
    expect(warned.verdict).toBe('warn');
    expect(warned.reasons.every((r) => r.verdict === 'warn' && r.message.includes('12 events in the window'))).toBe(true);
    expect(evaluateGate(policy('fail'), [few]).reasons.map((r) => [r.rule, r.verdict])).toEqual([['data partial', 'fail']]);
  });
});

describe('the organisation floor (mandatory rules and a missing-data floor)', () => {
  const floor = {
    slos: { labels: {}, serviceTiers: [] },
    rules: [{ kind: 'budget_remaining' as const, below: 0, verdict: 'fail' as const }],
    onMissingData: 'fail' as const,
  };
  // Issue 14, point 4: a team's own policy with no rules and missing data passing.
  const lax = PolicyInput.parse({ rules: [], onMissingData: 'pass' });

  test('a service policy with no rules still fails on the mandatory rule, marked as the organisation’s', () => {
    expect(evaluateGate(lax, [slo({ budgetRemaining: -0.5 })]).verdict).toBe('pass');
    const decision = evaluateGate({ ...lax, floor }, [slo({ budgetRemaining: -0.5 })]);
    expect(decision.verdict).toBe('fail');
    expect(decision.reasons[0]).toMatchObject({ rule: 'budget_remaining < 0%', verdict: 'fail', mandatory: true });
    expect(decision.reasons[0]!.message).toContain("the organisation's mandatory rule");
  });

  test('missing data cannot pass below the floor', () => {
    expect(evaluateGate(lax, [slo({ budgetRemaining: null, dataState: 'missing' })]).verdict).toBe('pass');
    expect(evaluateGate({ ...lax, floor }, [slo({ budgetRemaining: null, dataState: 'missing' })]).verdict).toBe('fail');
    expect(evaluateGate({ ...lax, floor: { ...floor, onMissingData: 'warn' } }, [slo({ dataState: 'missing', budgetRemaining: null })]).verdict).toBe('warn');
  });

  test('a stricter own rule tightens; the same rule in both is said once', () => {
    const strict = PolicyInput.parse({
      rules: [
        { kind: 'budget_remaining', below: 0.5, verdict: 'fail' },
        { kind: 'budget_remaining', below: 0, verdict: 'fail' },
      ],
    });
    const decision = evaluateGate({ ...strict, floor }, [slo({ budgetRemaining: -0.1 })]);
    expect(decision.reasons.map((r) => r.rule)).toEqual(['budget_remaining < 50%', 'budget_remaining < 0%']);
    expect(evaluateGate({ ...strict, floor }, [slo({ budgetRemaining: 0.3 })]).verdict).toBe('fail');
  });

  test('the floor counts the SLOs its own selector picks, even those the service policy leaves out', () => {
    const onlyCritical = PolicyInput.parse({ slos: { labels: { tier: 'critical' } }, rules: [] });
    const decision = evaluateGate({ ...onlyCritical, floor }, [slo({ slo: 'other', labels: {}, budgetRemaining: -1 })]);
    expect(decision.verdict).toBe('fail');
    expect(decision.counted.map((s) => s.slo)).toEqual(['other']);
  });

  test('stricterMissingData', () => {
    expect(stricterMissingData('pass', 'fail')).toBe('fail');
    expect(stricterMissingData('fail', 'pass')).toBe('fail');
    expect(stricterMissingData('warn', null)).toBe('warn');
  });
});
