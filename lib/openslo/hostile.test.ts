import { describe, expect, test } from 'vitest';
import { importOpenSlo, parseOpenSlo } from './index';
import { MAX_DOCUMENT_CHARS, MAX_FILE_CHARS } from './parse';

const service = `apiVersion: openslo/v1
kind: Service
metadata:
  name: checkout
  labels: { team: payments, tier: "1" }
spec: {}
`;

/** A valid SLO document with `edit` applied to its text. */
function sloYaml(edit: (text: string) => string = (t) => t): string {
  return edit(`apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
spec:
  service: checkout
  indicator:
    metadata: { name: checkout-sli }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { metricSourceRef: prom, type: Prometheus, spec: { query: 'http_requests_total{code!~"5.."}' } } }
        total: { metricSource: { metricSourceRef: prom, type: Prometheus, spec: { query: http_requests_total } } }
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
`);
}

const file = (text: string) => [{ name: 'slos.yaml', text }];
const errorsOf = (text: string) => {
  const result = importOpenSlo(file(text));
  return result.ok ? [] : result.errors;
};

test('the valid SLO these cases edit is accepted', () => {
  expect(importOpenSlo(file(`${service}---\n${sloYaml()}`)).ok).toBe(true);
});

test('targetPercent is read as a fraction without floating-point dust', () => {
  const result = importOpenSlo(file(`${service}---\n${sloYaml((t) => t.replace('target: 0.999', 'targetPercent: 99.9'))}`));
  expect(result.ok && result.value.slos[0]!.input.objective).toBe(0.999);
});

describe('hostile or broken files are refused with a message, never a throw', () => {
  test.each<[string, string, string | RegExp]>([
    [
      'an alias bomb (billion laughs)',
      `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
`,
      'slos.yaml#1: Excessive alias count indicates a resource exhaustion attack',
    ],
    [
      'a huge document',
      sloYaml((t) => t.replace('spec:\n  service', `spec:\n  description: "${'x'.repeat(MAX_DOCUMENT_CHARS)}"\n  service`)),
      `slos.yaml#1: is larger than ${MAX_DOCUMENT_CHARS} characters`,
    ],
    ['a huge file', 'a'.repeat(MAX_FILE_CHARS + 1), `slos.yaml: is larger than ${MAX_FILE_CHARS} characters`],
    ['broken YAML', 'apiVersion: openslo/v1\nkind: [SLO\n', /^slos\.yaml#1: not valid YAML: /],
    ['a duplicated key', sloYaml((t) => t.replace('kind: SLO\n', 'kind: SLO\nkind: SLO\n')), /^slos\.yaml#1: not valid YAML: Map keys must be unique/],
    ['a list instead of a document', '- a\n- b\n', 'slos.yaml#1: must be a map with apiVersion, kind, metadata and spec'],
    [
      'another apiVersion',
      sloYaml((t) => t.replace('openslo/v1', 'openslo/v1alpha')),
      'slos.yaml#1 SLO checkout-availability: apiVersion: must be openslo/v1, not "openslo/v1alpha"',
    ],
    [
      'an unknown kind',
      sloYaml((t) => t.replace('kind: SLO', 'kind: Dashboard')),
      'slos.yaml#1 Dashboard checkout-availability: kind: must be one of Service, SLO, SLI, DataSource, AlertPolicy, AlertCondition, AlertNotificationTarget, not "Dashboard"',
    ],
    [
      'a missing metadata.name',
      sloYaml((t) => t.replace('  name: checkout-availability\n', '  displayName: x\n')),
      'slos.yaml#1 SLO: metadata.name: must be a string',
    ],
    [
      'a name too long',
      sloYaml((t) => t.replace('checkout-availability', 'a'.repeat(64))),
      `slos.yaml#1 SLO ${'a'.repeat(64)}: metadata.name: must be at most 63 characters`,
    ],
    [
      'a target as text',
      sloYaml((t) => t.replace('target: 0.999', 'target: "high"')),
      'slos.yaml#1 SLO checkout-availability: spec.objectives[0].target: must be a number between 0 and 1',
    ],
    [
      'a target of 1',
      sloYaml((t) => t.replace('target: 0.999', 'target: 1')),
      'slos.yaml#1 SLO checkout-availability: spec.objectives[0].target: must be a number between 0 and 1',
    ],
    [
      'target and targetPercent',
      sloYaml((t) => t.replace('target: 0.999', 'target: 0.999\n      targetPercent: 99.9')),
      'slos.yaml#1 SLO checkout-availability: spec.objectives[0].target: needs exactly one of target and targetPercent',
    ],
    [
      'two time windows',
      sloYaml((t) => t.replace('      isRolling: true\n', '      isRolling: true\n    - duration: 7d\n      isRolling: true\n')),
      'slos.yaml#1 SLO checkout-availability: spec.timeWindow: must hold exactly one time window',
    ],
    [
      'a window both rolling and calendar',
      sloYaml((t) => t.replace('      isRolling: true\n', '      isRolling: true\n      calendar: { startTime: "2024-01-01 00:00:00", timeZone: UTC }\n')),
      'slos.yaml#1 SLO checkout-availability: spec.timeWindow[0].isRolling: give isRolling: true or a calendar, not both and not neither',
    ],
    [
      'good and bad together',
      sloYaml((t) => t.replace('        total:', "        bad: { metricSource: { type: Prometheus, spec: { query: 'x' } } }\n        total:")),
      'slos.yaml#1 SLO checkout-availability: spec.indicator.spec.ratioMetric.bad: give good or bad, not both',
    ],
    [
      'indicator and indicatorRef',
      sloYaml((t) => t.replace('  indicator:\n', '  indicatorRef: other\n  indicator:\n')),
      'slos.yaml#1 SLO checkout-availability: spec.indicatorRef: give indicator or indicatorRef, not both',
    ],
    [
      'an unknown field',
      sloYaml((t) => t.replace('  budgetingMethod', '  budgetMethod: Occurrences\n  budgetingMethod')),
      /^slos\.yaml#1 SLO checkout-availability: spec: Unrecognized key: "budgetMethod"/,
    ],
    [
      'Timeslices without timeSliceTarget',
      sloYaml((t) => t.replace('Occurrences', 'Timeslices').replace('target: 0.999', 'target: 0.999\n      timeSliceWindow: 5m')),
      'slos.yaml#1 SLO checkout-availability: spec.objectives[0].timeSliceTarget: is required with Timeslices',
    ],
  ])('%s', (_, text, want) => {
    const errors = errorsOf(text);
    expect(errors.length).toBeGreaterThan(0);
    if (typeof want === 'string') expect(errors).toContain(want);
    else expect(errors.some((e) => want.test(e))).toBe(true);
  });
});

describe('valid OpenSLO that Umpire cannot represent is refused, naming the document and field', () => {
  test.each<[string, string, string]>([
    [
      'RatioTimeslices',
      sloYaml((t) =>
        t.replace('Occurrences', 'RatioTimeslices').replace('target: 0.999', 'target: 0.999\n      timeSliceTarget: 0.9\n      timeSliceWindow: 5m'),
      ),
      'spec.budgetingMethod: Umpire cannot compute RatioTimeslices: use Occurrences or Timeslices',
    ],
    [
      'a yearly window',
      sloYaml((t) => t.replace('duration: 28d\n      isRolling: true', 'duration: 1Y\n      calendar: { startTime: "2024-01-01 00:00:00", timeZone: UTC }')),
      "spec.timeWindow[0].duration: Umpire's calendar windows are 1w, 1M or 1Q, not 1Y",
    ],
    [
      'a rolling window of hours',
      sloYaml((t) => t.replace('duration: 28d', 'duration: 36h')),
      "spec.timeWindow[0].duration: Umpire's rolling windows are whole days (e.g. 28d or 4w), not 36h",
    ],
    [
      'a rolling window beyond 90 days',
      sloYaml((t) => t.replace('duration: 28d', 'duration: 91d')),
      'spec.timeWindow[0].duration: must be a whole number of days from 1 to 90',
    ],
    [
      'a month starting mid-month',
      sloYaml((t) => t.replace('duration: 28d\n      isRolling: true', 'duration: 1M\n      calendar: { startTime: "2024-01-15 00:00:00", timeZone: UTC }')),
      "spec.timeWindow[0].calendar.startTime: Umpire's months start at midnight on the 1st",
    ],
    [
      'a Datadog source',
      sloYaml((t) => t.replaceAll('type: Prometheus', 'type: Datadog')),
      'spec.indicator.spec.ratioMetric.good.metricSource.type: Umpire reads ratio metrics from Prometheus only, not Datadog',
    ],
    [
      'a PromQL expression rather than a selector',
      sloYaml((t) => t.replace('query: \'http_requests_total{code!~"5.."}\'', "query: 'sum(rate(x[5m]))'")),
      'spec.indicator (as Umpire\'s sli.goodSelector): must be a plain selector such as http_requests_total{code!~"5.."}: no functions, ranges or operators',
    ],
    [
      'a thresholdMetric',
      sloYaml((t) =>
        t.replace(/ {6}ratioMetric:[\s\S]*?(?= {2}timeWindow)/, '      thresholdMetric: { metricSource: { type: Prometheus, spec: { query: latency } } }\n'),
      ),
      'spec.indicator.spec.thresholdMetric: Umpire cannot measure a thresholdMetric: use a ratioMetric of good (or bad) and total events',
    ],
    ['several objectives', sloYaml((t) => `${t}    - target: 0.99\n`), 'spec.objectives: Umpire SLOs have one objective: split the SLO into one per objective'],
    [
      'an indicatorRef to nothing',
      sloYaml((t) => t.replace(/ {2}indicator:[\s\S]*?(?= {2}timeWindow)/, '  indicatorRef: missing-sli\n')),
      'spec.indicatorRef: names no SLI document among the files: missing-sli',
    ],
  ])('%s', (_, text, want) => {
    expect(errorsOf(`${service}---\n${text}`)).toEqual([`slos.yaml#2 SLO checkout-availability: ${want}`]);
  });

  test('a service without a tier', () => {
    expect(errorsOf(service.replace(', tier: "1"', ''))).toEqual([
      'slos.yaml#1 Service checkout: metadata.labels.tier: Umpire needs the service tier (1, 2 or 3): set the label tier or the annotation umpire.dev/tier',
    ]);
  });

  test('the same name twice for one kind', () => {
    expect(errorsOf(`${service}---\n${service}`)).toContain('slos.yaml#2 Service checkout: metadata.name: is also used by slos.yaml#1 Service checkout');
  });

  test('every refusal is reported, not only the first', () => {
    const errors = errorsOf(
      `${service.replace('team: payments, ', '')}---\n${sloYaml((t) => t.replace('Occurrences', 'RatioTimeslices').replace('target: 0.999', 'target: 0.999\n      timeSliceTarget: 0.9\n      timeSliceWindow: 5m'))}`,
    );
    expect(errors).toHaveLength(2);
  });

  test('an alias bomb in one file does not stop the others being reported', () => {
    const result = parseOpenSlo([
      { name: 'bomb.yaml', text: 'a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n' },
      { name: 'bad.yaml', text: sloYaml((t) => t.replace('kind: SLO', 'kind: Nope')) },
    ]);
    expect(result.ok ? [] : result.errors.map((e) => e.split(':')[0])).toEqual(['bomb.yaml#1', 'bad.yaml#1 Nope checkout-availability']);
  });
});

describe('alert policies Umpire cannot express are refused', () => {
  const withCondition = (condition: string) =>
    sloYaml(
      (t) =>
        `${t}  alertPolicies:\n    - kind: AlertPolicy\n      metadata: { name: fast-burn }\n      spec:\n        conditions:\n          - kind: AlertCondition\n            metadata: { name: fast-burn }\n            spec: ${condition}\n`,
    );

  test.each<[string, string, string]>([
    [
      'a severity other than page or ticket',
      '{ severity: critical, condition: { kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 1h, alertAfter: 0m } }',
      "spec.alertPolicies[0].spec.conditions[0].spec.severity: Umpire's alert tiers are page or ticket, not critical",
    ],
    [
      'a burn rate falling below a threshold',
      '{ severity: page, condition: { kind: burnrate, op: lt, threshold: 14.4, lookbackWindow: 1h, alertAfter: 0m } }',
      'spec.alertPolicies[0].spec.conditions[0].spec.condition.op: Umpire alerts when the burn rate rises above the threshold: use gt or gte',
    ],
    [
      'a lookback window of seconds',
      '{ severity: page, condition: { kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 90s, alertAfter: 0m } }',
      'spec.alertPolicies[0].spec.conditions[0].spec.condition.lookbackWindow: must be whole minutes',
    ],
  ])('%s', (_, condition, want) => {
    expect(errorsOf(`${service}---\n${withCondition(condition)}`)).toEqual([`slos.yaml#2 SLO checkout-availability: ${want}`]);
  });

  test('a condition that is not a burn rate is refused by the spec check', () => {
    const errors = errorsOf(withCondition('{ severity: page, condition: { kind: threshold, op: gt, threshold: 1, lookbackWindow: 1h, alertAfter: 0m } }'));
    expect(errors.some((e) => e.startsWith('slos.yaml#1 SLO checkout-availability: spec.alertPolicies[0]'))).toBe(true);
  });

  test('a burn-rate condition without an Umpire short window gets a twelfth of the long window', () => {
    const result = importOpenSlo(
      file(
        `${service}---\n${withCondition('{ severity: ticket, condition: { kind: burnrate, op: gte, threshold: 6, lookbackWindow: 6h, alertAfter: 15m } }')}`,
      ),
    );
    expect(result.ok && result.value.slos[0]!.input.alertPolicy).toEqual({
      tiers: [{ severity: 'ticket', longWindow: '6h', shortWindow: '30m', burnRate: 6, for: '15m' }],
    });
  });
});

test('a metric source named only by metricSourceRef takes its type from the DataSource document', () => {
  const dataSource =
    'apiVersion: openslo/v1\nkind: DataSource\nmetadata: { name: prom }\nspec: { type: Prometheus, connectionDetails: { url: "http://prom:9090" } }\n';
  const result = importOpenSlo(file(`${service}---\n${dataSource}---\n${sloYaml((t) => t.replaceAll(', type: Prometheus', ''))}`));
  expect(result.ok && result.value.slos[0]!.input.sli).toEqual({
    source: 'prometheus',
    kind: 'ratio',
    datasource: 'prom',
    goodSelector: 'http_requests_total{code!~"5.."}',
    totalSelector: 'http_requests_total',
  });
});

test("each of Umpire's own refusals is a separate message", () => {
  const errors = errorsOf(service.replace('name: checkout', 'name: checkout\n  displayName: ""'));
  expect(errors).toEqual(['slos.yaml#1 Service checkout: metadata.displayName: is required']);
  const two = errorsOf(
    `${service}---\n${sloYaml((t) => t.replace('  name: checkout-availability\n', '  name: checkout-availability\n  displayName: ""\n  annotations: { umpire.dev/min-events: "-1" }\n'))}`,
  );
  expect(two).toEqual([
    'slos.yaml#2 SLO checkout-availability: metadata.displayName: is required',
    'slos.yaml#2 SLO checkout-availability: metadata.annotations.umpire.dev/min-events: must be a whole number of events from 0 to 1,000,000',
  ]);
});

describe("an SLO's OpenSLO labels", () => {
  const withLabels = (labels: string) =>
    `${service}---\n${sloYaml((t) => t.replace('  name: checkout-availability\n', `  name: checkout-availability\n  labels: ${labels}\n`))}`;

  test('become Umpire labels', () => {
    const result = importOpenSlo(file(withLabels('{ journey: buy, env: prod }')));
    expect(result.ok && result.value.slos[0]!.input.labels).toEqual({ journey: 'buy', env: 'prod' });
  });

  test('are refused when Umpire cannot hold them, naming the label', () => {
    expect(errorsOf(withLabels('{ env: [prod, eu] }'))).toEqual([
      'slos.yaml#2 SLO checkout-availability: metadata.labels.env: Umpire labels hold one value, not a list',
    ]);
    expect(errorsOf(withLabels('{ app.kubernetes.io/name: checkout }'))).toEqual([
      'slos.yaml#2 SLO checkout-availability: metadata.labels.app.kubernetes.io/name: label names must be letters, digits and underscores, not starting with a digit',
    ]);
  });
});

test('alert settings that are not a JSON object are refused rather than dropped', () => {
  expect(
    errorsOf(
      `${service}---\n${sloYaml((t) => t.replace('  name: checkout-availability\n', '  name: checkout-availability\n  annotations: { umpire.dev/alert-settings: "5" }\n'))}`,
    ),
  ).toEqual(['slos.yaml#2 SLO checkout-availability: metadata.annotations.umpire.dev/alert-settings: must be a JSON object']);
});

test("an alert-settings annotation of '{}' is the default policy (null), as stored, so a second apply finds nothing to change", () => {
  const text = sloYaml((t) =>
    t.replace('  name: checkout-availability\n', "  name: checkout-availability\n  annotations:\n    umpire.dev/alert-settings: '{}'\n"),
  );
  const result = importOpenSlo(file(`${service}---\n${text}`));
  expect(result.ok && result.value.slos[0]!.input.alertPolicy).toBeNull();
});
