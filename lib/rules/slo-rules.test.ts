import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import type { AlertTier, SliSpec } from '../schemas';
import { defaultAlertTiers } from '../slo';
import { operatorRule, prometheusRuleFile, ruleTestFile, type RulesBundle } from './render';
import { errorRatioExpr, sloRules, templateLiteral, type AlertingRule, type RecordingRule, type RulesSubject, type SloRules } from './slo-rules';

const ratioGood = {
  source: 'prometheus',
  datasource: 'prom',
  kind: 'ratio',
  totalSelector: 'http_requests_total{job="api"}',
  goodSelector: 'http_requests_total{job="api",code!~"5.."}',
} as const;

function subject(overrides: Partial<RulesSubject['slo']> = {}, service: Partial<RulesSubject['service']> = {}): RulesSubject {
  return {
    service: { slug: 'checkout', ownerTeam: 'payments', runbookUrl: 'https://runbooks.example/checkout', ...service },
    slo: {
      slug: 'availability',
      name: 'Availability',
      objective: 0.999,
      budgeting: { method: 'occurrences' },
      sli: ratioGood,
      tiers: defaultAlertTiers(30 * 1440),
      minEvents: 100,
      ...overrides,
    },
    dashboardUrl: 'https://umpire.example/services/checkout/slos/availability',
  };
}

function generated(s: RulesSubject): SloRules {
  const result = sloRules(s);
  if (!result.ok) throw new Error(result.skipped.reason);
  return result.rules;
}

const alerts = (rules: SloRules) => rules.group.rules.filter((r): r is AlertingRule => 'alert' in r);
const records = (rules: SloRules) => rules.group.rules.filter((r): r is RecordingRule => 'record' in r);

describe('errorRatioExpr: failed / all events over the window, from the SLI the way Umpire reads it', () => {
  test.each<[string, SliSpec & { source: 'prometheus' }, string]>([
    [
      'ratio with a good selector: no good series yet means every event failed, as Umpire reads it',
      ratioGood,
      '(sum(increase(http_requests_total{job="api"}[5m])) - (sum(increase(http_requests_total{job="api",code!~"5.."}[5m])) or vector(0))) / sum(increase(http_requests_total{job="api"}[5m]))',
    ],
    [
      'ratio with a bad selector: no bad series yet means no failures',
      { source: 'prometheus', datasource: 'prom', kind: 'ratio', totalSelector: 'req_total', badSelector: 'req_failed_total' },
      '(sum(increase(req_failed_total[5m])) or vector(0)) / sum(increase(req_total[5m]))',
    ],
    [
      'latency: requests above the bucket at the threshold, a vanished bucket reading as no data',
      { source: 'prometheus', datasource: 'prom', kind: 'latency', metric: 'rpc_seconds', thresholdSeconds: 0.3, filters: { job: 'api' } },
      '(sum(increase(rpc_seconds_count{job="api"}[5m])) - (sum(increase(rpc_seconds_bucket{job="api",le=~"0\\\\.30*|3(\\\\.0+)?[eE]-0*1"}[5m])) unless on() (count_over_time(rpc_seconds_count{job="api"}[4m59s999ms]) unless (count_over_time(rpc_seconds_count{job="api"}[4m59s999ms]) <= max without (le) (count_over_time(rpc_seconds_bucket{job="api",le=~"0\\\\.30*|3(\\\\.0+)?[eE]-0*1"}[4m59s999ms])))))) / sum(increase(rpc_seconds_count{job="api"}[5m]))',
    ],
    [
      'advanced: the user PromQL with $__range as the window',
      { source: 'prometheus', datasource: 'prom', kind: 'advanced', goodQuery: 'sum(rate(ok[$__range]))', totalQuery: 'sum(rate(all[$__range]))' },
      '(sum(sum(rate(all[5m]))) - (sum(sum(rate(ok[5m]))) or vector(0))) / sum(sum(rate(all[5m])))',
    ],
  ])('%s', (_, sli, want) => expect(errorRatioExpr(sli, '5m')).toBe(want));

  test('a window spelled 60m is recorded as 1h', () => expect(errorRatioExpr(ratioGood, '60m')).toContain('[1h]'));
});

describe('sloRules', () => {
  test.each<[string, Partial<RulesSubject['slo']>, RegExp]>([
    ['a demo SLI', { sli: { source: 'demo', profile: 'availability', eventsPerMinute: 1, baselineErrorRatio: 0, seed: 'x' } }, /comes from demo/],
    ['an OpenTelemetry SLI', { sli: { source: 'otel', kind: 'ratio', metric: 'm', goodFilters: {}, totalFilters: {} } as unknown as SliSpec }, /otel/],
    ['timeslice budgeting', { budgeting: { method: 'timeslices', sliceMinutes: 5, threshold: 0.99 } }, /timeslices/],
  ])('skips %s, saying why', (_, overrides, reason) => {
    const result = sloRules(subject(overrides));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.skipped).toMatchObject({ service: 'checkout', slo: 'availability', reason: expect.stringMatching(reason) });
  });

  test('records the error ratio for every window of the default tiers, and events over each long window', () => {
    const rules = generated(subject());
    expect(records(rules).map((r) => r.record)).toEqual([
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'slo:sli_events:increase1h',
      'slo:sli_events:increase6h',
      'slo:sli_events:increase1d',
      'slo:sli_events:increase3d',
    ]);
    for (const r of records(rules)) expect(r.labels).toEqual({ service: 'checkout', slo: 'availability' });
    expect(rules.group).toMatchObject({ name: 'umpire-slo:checkout/availability', interval: '1m' });
  });

  test('one group holds the recording rules before the alerts that read them', () => {
    const kinds = generated(subject()).group.rules.map((r) => ('record' in r ? 'record' : 'alert'));
    expect(kinds.lastIndexOf('record')).toBeLessThan(kinds.indexOf('alert'));
  });

  test('each tier alerts when both windows exceed threshold x (1 - objective) and the long window holds minEvents', () => {
    const [page] = alerts(generated(subject()));
    expect(page).toEqual({
      alert: 'ErrorBudgetBurnPage1h5m',
      expr: [
        'slo:sli_error:ratio_rate1h{service="checkout",slo="availability"} > (14.4 * (1 - 0.999))',
        'and',
        'slo:sli_error:ratio_rate5m{service="checkout",slo="availability"} > (14.4 * (1 - 0.999))',
        'and',
        'slo:sli_events:increase1h{service="checkout",slo="availability"} >= 100',
      ].join('\n'),
      labels: { severity: 'page', service: 'checkout', slo: 'availability', team: 'payments', long_window: '1h', short_window: '5m' },
      annotations: {
        summary: 'checkout/availability burns its error budget faster than 14.4x (page, 1h/5m)',
        description: 'Availability: the 1h and 5m error ratios are both above 14.4 times the error budget of a 0.999 objective (0.0144 of events failing).',
        runbook_url: 'https://runbooks.example/checkout',
        dashboard_url: 'https://umpire.example/services/checkout/slos/availability',
      },
    });
  });

  test('minEvents 0 needs no event count; a tier`s `for` is kept; a service without runbook gets no runbook_url', () => {
    const tiers: AlertTier[] = [{ severity: 'page', longWindow: '60m', shortWindow: '5m', burnRate: 10, for: '2m' }];
    const rules = generated(subject({ minEvents: 0, tiers }, { runbookUrl: null }));
    expect(records(rules).map((r) => r.record)).toEqual(['slo:sli_error:ratio_rate5m', 'slo:sli_error:ratio_rate1h']);
    const [alert] = alerts(rules);
    expect(alert!.expr).not.toContain('sli_events');
    expect(alert!.for).toBe('2m');
    expect(alert!.annotations).not.toHaveProperty('runbook_url');
  });

  test.each([
    [999, 0.999, true],
    [1000, 0.999, false], // 1000 x 0.001 is 1.0000000000000009: no ratio exceeds it
    [2000, 0.999, false],
    [14.4, 0.95, true],
    [20, 0.95, false],
  ])('a tier of burn rate %d on objective %d can fire: %s', (burnRate, objective, canFire) => {
    const rules = generated(subject({ objective, tiers: [{ severity: 'ticket', longWindow: '1h', shortWindow: '5m', burnRate }] }));
    expect(rules.tiers[0]!.canFire).toBe(canFire);
  });

  test('repeated tiers get distinct alert names', () => {
    const tier: AlertTier = { severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4 };
    const rules = generated(subject({ tiers: [tier, { ...tier, burnRate: 20 }] }));
    expect(alerts(rules).map((a) => a.alert)).toEqual(['ErrorBudgetBurnPage1h5m', 'ErrorBudgetBurnPage1h5m_2']);
  });
});

describe('user strings cannot break the YAML or the Go templates', () => {
  test.each([
    ['plain', 'plain'],
    ['{{ .Labels }}', '{{ "{{" }} .Labels }}'],
    ['a }} b', 'a }} b'],
    ['{{{{', '{{ "{{" }}{{ "{{" }}'],
  ])('templateLiteral(%j) = %j', (text, want) => expect(templateLiteral(text)).toBe(want));

  const hostile = 'x: "y" # z\n- {{ .Value }} \'q\' & *anchor !!tag';
  const bundle = (): RulesBundle => {
    const rules = generated(subject({ name: hostile }, { ownerTeam: hostile, runbookUrl: `https://r.example/${hostile}` }));
    return { generated: [{ rules, sli: ratioGood, minEvents: 100 }], skipped: [{ service: 'other', slo: 'demo', reason: `line\nbreak: ${hostile}` }] };
  };

  test.each([
    ['prometheus', (b: RulesBundle) => (parse(prometheusRuleFile(b)) as { groups: unknown[] }).groups],
    ['operator', (b: RulesBundle) => (parse(operatorRule(b, 'umpire-slos')) as { spec: { groups: unknown[] } }).spec.groups],
  ])('the %s file parses back to exactly the generated groups', (_, groupsOf) => {
    const b = bundle();
    expect(groupsOf(b)).toEqual([b.generated[0]!.rules.group]);
    const team = alerts(b.generated[0]!.rules)[0]!.labels.team;
    expect(team).toBe(templateLiteral(hostile));
  });

  test('a newline in a skip reason stays inside the comment', () => {
    const text = prometheusRuleFile(bundle());
    expect(text).toMatch(/^# Skipped other\/demo: line break: x:/m);
    expect(Object.keys(parse(text) as object)).toEqual(['groups']);
  });

  test('the PrometheusRule is a monitoring.coreos.com/v1 object naming its never-firing tiers', () => {
    const rules = generated(subject({ tiers: [{ severity: 'ticket', longWindow: '1h', shortWindow: '5m', burnRate: 2000 }] }));
    const doc = parse(operatorRule({ generated: [{ rules, sli: ratioGood, minEvents: 100 }], skipped: [] }, 'umpire-checkout')) as Record<string, unknown>;
    expect(doc).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'umpire-checkout', annotations: { 'umpire/never-firing-tiers': 'checkout/availability/ErrorBudgetBurnTicket1h5m' } },
    });
  });

  test('the tests file names the rule file, its step, and what it cannot test', () => {
    const never = generated(subject({ tiers: [{ severity: 'ticket', longWindow: '1h', shortWindow: '5m', burnRate: 2000 }] }));
    const advanced = generated(
      subject({ slug: 'raw', sli: { source: 'prometheus', datasource: 'p', kind: 'advanced', goodQuery: 'a[$__range]', totalQuery: 'b[$__range]' } }),
    );
    const text = ruleTestFile({
      generated: [
        { rules: never, sli: ratioGood, minEvents: 100 },
        {
          rules: advanced,
          sli: { source: 'prometheus', datasource: 'p', kind: 'advanced', goodQuery: 'a[$__range]', totalQuery: 'b[$__range]' },
          minEvents: 100,
        },
      ],
      skipped: [],
    });
    expect(text).toContain('# Never fires: checkout/availability ErrorBudgetBurnTicket1h5m');
    expect(text).toContain('# No tests for checkout/raw: its SLI is raw PromQL');
    expect(text).toContain('# No test for checkout/availability ErrorBudgetBurnTicket1h5m: it can never fire');
    expect(parse(text)).toEqual({ rule_files: ['umpire-rules.yaml'], evaluation_interval: '1m', tests: [] });
  });
});
