import { describe, expect, test } from 'vitest';
import { parseCounterSelector, type LabelMatcher, type PrometheusSli } from '../schemas/prometheus';
import { defaultAlertTiers, detectionTimeSeconds, durationToMinutes } from '../slo';
import { counterValues, eventsPerStep, replay, sloRuleTests, testStepMinutes } from './rule-tests';
import { sloRules, type GeneratedTier } from './slo-rules';
import { labelsFor, testSeries } from './test-series';

function tier(longWindow: string, shortWindow: string, errorRatioThreshold: number, forDuration: string | null = null) {
  return { longWindow, shortWindow, for: forDuration, errorRatioThreshold };
}

describe('replay: when a tier fires and resolves, evaluated as Prometheus does', () => {
  // A full outage after a clean long window: the long window crosses threshold x budget after L x that share of it,
  // which is Umpire's own detection time (lib/slo/alerts.ts detectionTimeSeconds), rounded up to the next minute.
  test.each(defaultAlertTiers(30 * 1440).map((t) => [`${t.longWindow}/${t.shortWindow} at ${t.burnRate}`, t] as const))(
    'the default tier %s fires on a full outage the minute after Umpire`s detection time',
    (_, t) => {
      const threshold = t.burnRate * (1 - 0.999);
      const long = durationToMinutes(t.longWindow);
      const result = replay(
        [
          { steps: long, total: 1000, bad: 0 },
          { steps: long, total: 1000, bad: 1000 },
        ],
        tier(t.longWindow, t.shortWindow, threshold),
        100,
      );
      const detectionMinutes = detectionTimeSeconds(t, 1, 0.999)! / 60;
      expect(result.firesAt! - long).toBe(Math.floor(detectionMinutes) + 1);
    },
  );

  test.each([
    ['no for: fires at the first minute the condition holds', null, 61],
    ['for 5m: five minutes later', '5m', 66],
  ])('%s', (_, forDuration, firesAt) => {
    const result = replay(
      [
        { steps: 60, total: 100, bad: 0 },
        { steps: 30, total: 100, bad: 100 },
      ],
      tier('1h', '5m', 0.0144, forDuration),
      0,
    );
    expect(result.firesAt).toBe(firesAt);
  });

  test('resolves once the short window falls to the threshold after recovery', () => {
    // 100% errors in minutes 61-80, then none: the 5m window ending at minute t holds 85 - t failing minutes, so its
    // ratio is 0.2 at 84 and 0 at 85: only then is it no longer above 0.1.
    const result = replay(
      [
        { steps: 60, total: 10, bad: 0 },
        { steps: 20, total: 10, bad: 10 },
        { steps: 10, total: 10, bad: 0 },
      ],
      tier('1h', '5m', 0.1),
      0,
    );
    expect(result).toEqual({ firesAt: 67, resolvesAt: 85 });
  });

  test('minEvents keeps a tier quiet until the long window holds that many events', () => {
    const stretches = [{ steps: 10, total: 10, bad: 10 }];
    expect(replay(stretches, tier('1h', '5m', 0.0144), 0).firesAt).toBe(1);
    expect(replay(stretches, tier('1h', '5m', 0.0144), 50).firesAt).toBe(5);
  });

  test('on a 5-minute step, windows and for are counted in steps', () => {
    const stretches = [
      { steps: 12, total: 100, bad: 0 },
      { steps: 12, total: 100, bad: 100 },
    ];
    expect(replay(stretches, tier('1h', '5m', 0.0144, '10m'), 0, 5).firesAt).toBe(13 + 2);
  });
});

describe('test steps and counters', () => {
  test.each([
    [[tier('1h', '5m', 0), tier('6h', '30m', 0), tier('1d', '2h', 0), tier('3d', '6h', 0)], 5],
    [[tier('1h', '7m', 0)], 1],
    [[tier('1h', '10m', 0, '15m')], 5],
    [[tier('6h', '30m', 0)], 30],
    [[], 1],
  ])('testStepMinutes(%j) = %d', (tiers, step) => expect(testStepMinutes(tiers)).toBe(step));

  test.each([
    [[{ steps: 3, total: 10, bad: 0 }], (s: { total: number }) => s.total, '0 10+10x2'],
    [
      [
        { steps: 2, total: 10, bad: 0 },
        { steps: 3, total: 10, bad: 4 },
      ],
      (s: { bad: number }) => s.bad,
      '0 0+0x1 4+4x2',
    ],
  ])('counterValues(%j) = %s', (stretches, pick, want) => expect(counterValues(stretches, pick)).toBe(want));

  test.each([
    [0.0144, 1e6],
    [1e-5, 1e8],
    [0.5, 1e6],
  ])('eventsPerStep(%d) = %d, so 5 percent of the threshold is many whole events', (threshold, want) => {
    expect(eventsPerStep(threshold)).toBe(want);
    expect(threshold * 0.05 * want).toBeGreaterThanOrEqual(50);
  });
});

function matchesAll(selector: string, series: string): boolean {
  const s = parseCounterSelector(selector);
  const t = parseCounterSelector(series);
  if (!s.ok || !t.ok) throw new Error('unparseable');
  const labels = Object.fromEntries(t.selector.matchers.map((m) => [m.label, m.value]));
  const holds = (m: LabelMatcher) => {
    const value = labels[m.label] ?? '';
    const re = new RegExp(`^(?:${m.value})$`);
    return { '=': value === m.value, '!=': value !== m.value, '=~': re.test(value), '!~': !re.test(value) }[m.op];
  };
  return s.selector.metric === t.selector.metric && s.selector.matchers.every(holds);
}

describe('testSeries: counters the SLI`s own selectors count as good and as failed events', () => {
  test.each<[string, string, string]>([
    ['http_requests_total{job="api"}', 'http_requests_total{job="api",code!~"5.."}', 'good'],
    ['http_requests_total{job="api"}', 'http_requests_total{job="api",code=~"5..|429"}', 'bad'],
    ['http_requests_total{job=~"api|web",env!="dev"}', 'http_requests_total{job=~"api|web",env!="dev",status="ok"}', 'good'],
    ['http_requests_total{job="a\\"b"}', 'http_requests_total{job="a\\"b",code=~"[45][0-9]{2}"}', 'bad'],
    ['requests_total', 'requests_failed_total{reason!=""}', 'bad'],
  ])('total %s, %s counts the %s events', (totalSelector, side, kind) => {
    const sli: PrometheusSli =
      kind === 'good'
        ? { source: 'prometheus', datasource: 'p', kind: 'ratio', totalSelector, goodSelector: side }
        : { source: 'prometheus', datasource: 'p', kind: 'ratio', totalSelector, badSelector: side };
    const result = testSeries(sli);
    if (!result.ok) throw new Error(result.reason);
    for (const s of result.series) {
      // Every series the test feeds counts toward exactly the side it is meant for.
      const inTotal = matchesAll(totalSelector, s.series);
      const inSide = matchesAll(side, s.series);
      if (s.counts === 'all') expect([inTotal, inSide]).toEqual([true, false]);
      else if (s.counts === kind) expect(inSide).toBe(true);
      else expect([inTotal, inSide]).toEqual([true, false]);
    }
    expect(result.series.map((s) => s.counts).sort()).toEqual(
      parseCounterSelector(side).ok && side.startsWith(totalSelector.split('{')[0]! + '{') ? ['bad', 'good'] : ['all', kind].sort(),
    );
  });

  test('selectors no labels can satisfy are reported, not guessed', () => {
    expect(labelsFor([{ label: 'a', op: '=', value: 'x' }], [{ label: 'a', op: '=~', value: '.*' }])).toBeNull();
    const result = testSeries({ source: 'prometheus', datasource: 'p', kind: 'ratio', totalSelector: 'r{a="x"}', goodSelector: 'r{a=~".*"}' });
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/could not find labels/) });
  });

  test('a latency SLI is fed through the bucket at its threshold, +Inf and _count', () => {
    const result = testSeries({ source: 'prometheus', datasource: 'p', kind: 'latency', metric: 'rpc_seconds', thresholdSeconds: 0.25, filters: { job: 'x' } });
    expect(result).toEqual({
      ok: true,
      series: [
        { series: 'rpc_seconds_bucket{job="x",le="0.25"}', counts: 'good' },
        { series: 'rpc_seconds_bucket{job="x",le="+Inf"}', counts: 'all' },
        { series: 'rpc_seconds_count{job="x"}', counts: 'all' },
      ],
    });
  });
});

describe('sloRuleTests', () => {
  const sli: PrometheusSli = { source: 'prometheus', datasource: 'p', kind: 'ratio', totalSelector: 'req_total', badSelector: 'req_failed_total' };
  const rulesOf = (tiers: Parameters<typeof sloRules>[0]['slo']['tiers']) => {
    const r = sloRules({
      service: { slug: 's', ownerTeam: 't', runbookUrl: null },
      slo: { slug: 'o', name: 'O', objective: 0.999, budgeting: { method: 'occurrences' }, sli, tiers, minEvents: 100 },
      dashboardUrl: 'https://u.example/s/o',
    });
    if (!r.ok) throw new Error('skipped');
    return r.rules;
  };

  test('three cases per tier: outage and recovery, just above, just below with its recorded ratio', () => {
    const result = sloRuleTests(rulesOf([{ severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4 }]), sli, 100);
    if (!result.ok) throw new Error(result.reason);
    expect(result.tests.map((t) => t.name)).toEqual([
      's/o ErrorBudgetBurnPage1h5m: fires on a full outage and resolves after recovery',
      's/o ErrorBudgetBurnPage1h5m: fires on an error ratio of 0.01512, just above 0.014400000000000013',
      's/o ErrorBudgetBurnPage1h5m: stays quiet on an error ratio of 0.01368, just below 0.014400000000000013',
    ]);
    const [outage, above, below] = result.tests;
    // Clean hour, then 100% errors: the 1h window passes 1.44% at its first failing 5-minute step; once errors stop
    // (at 135m) the 5m window holds none.
    expect(outage!.alert_rule_test.map((a) => [a.eval_time, a.exp_alerts.length])).toEqual([
      ['60m', 0],
      ['65m', 1],
      ['130m', 1],
      ['135m', 0],
    ]);
    expect(above!.alert_rule_test.map((a) => [a.eval_time, a.exp_alerts.length])).toEqual([
      ['115m', 0],
      ['120m', 1],
    ]);
    expect(below!.promql_expr_test).toEqual([
      {
        expr: 'slo:sli_error:ratio_rate1h{service="s",slo="o"}',
        eval_time: '125m',
        exp_samples: [{ labels: 'slo:sli_error:ratio_rate1h{service="s",slo="o"}', value: 0.01368 }],
      },
    ]);
    expect(outage!.input_series).toEqual([
      { series: 'req_total', values: '0 1000000+1000000x11 13000000+1000000x13 27000000+1000000x2' },
      { series: 'req_failed_total', values: '0 0+0x11 1000000+1000000x13 14000000+0x2' },
    ]);
  });

  test('a tier that can never fire gets no test, and says why', () => {
    const result = sloRuleTests(rulesOf([{ severity: 'ticket', longWindow: '1h', shortWindow: '5m', burnRate: 1000 }]), sli, 100);
    expect(result).toMatchObject({ ok: true, tests: [], untestedTiers: [{ alert: 'ErrorBudgetBurnTicket1h5m', reason: expect.stringMatching(/never fire/) }] });
  });

  test('every default tier on 30 days has its three cases', () => {
    const rules = rulesOf(defaultAlertTiers(30 * 1440));
    const result = sloRuleTests(rules, sli, 100);
    expect(result.ok && result.tests.length).toBe(12);
    expect(rules.tiers.every((t: GeneratedTier) => t.canFire)).toBe(true);
  });
});
