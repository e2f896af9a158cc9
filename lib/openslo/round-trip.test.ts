import { describe, expect, test } from 'vitest';
import { ServiceInput } from '@/lib/schemas/service';
import { SloInput } from '@/lib/schemas/slo';
import { otelTemplate } from '@/lib/schemas/otel';
import { fromUmpire, importOpenSlo, type UmpireDefinitions } from './index';

const services = [
  ServiceInput.parse({
    slug: 'checkout',
    name: 'Checkout API',
    ownerTeam: 'Payments & Risk',
    tier: 1,
    description: 'Takes the money.',
    links: { runbook: 'https://runbooks.example/checkout' },
  }),
  ServiceInput.parse({ slug: 'search', name: 'search', ownerTeam: 'discovery', tier: 3, description: 'x'.repeat(1500) }),
];

const slo = (service: string, input: unknown) => ({ service, input: SloInput.parse(input) });

const catalogue: UmpireDefinitions['slos'] = [
  slo('checkout', {
    slug: 'checkout-availability',
    name: 'Checkout availability',
    objective: 0.999,
    window: { kind: 'rolling', days: 28 },
    sli: {
      source: 'prometheus',
      kind: 'ratio',
      datasource: 'prom-eu',
      badSelector: 'http_requests_total{job="checkout",code=~"5.."}',
      totalSelector: 'http_requests_total{job="checkout"}',
    },
    labels: { journey: 'buy' },
  }),
  slo('checkout', {
    slug: 'checkout-good-ratio',
    name: 'Checkout good ratio',
    objective: 0.99,
    window: { kind: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
    budgeting: { method: 'timeslices', sliceMinutes: 5, threshold: 0.95 },
    sli: { source: 'prometheus', kind: 'ratio', datasource: 'prom-eu', goodSelector: 'http_requests_total{code!~"5.."}', totalSelector: 'http_requests_total' },
    alertPolicy: {
      tiers: [
        { severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4, for: '2m' },
        { severity: 'ticket', longWindow: '3d', shortWindow: '6h', burnRate: 1 },
      ],
      budgetLowShare: 0.25,
      absentMinutes: 30,
    },
  }),
  slo('checkout', {
    slug: 'checkout-latency',
    name: 'Checkout latency',
    objective: 0.95,
    window: { kind: 'calendar', unit: 'week', timeZone: 'UTC' },
    sli: {
      source: 'prometheus',
      kind: 'latency',
      datasource: 'prom-eu',
      metric: 'http_request_duration_seconds',
      thresholdSeconds: 0.3,
      filters: { job: 'checkout' },
    },
    minEvents: 0,
  }),
  slo('search', {
    slug: 'search-demo',
    name: 'Search (demo)',
    description: 'Synthetic traffic.',
    objective: 0.995,
    window: { kind: 'calendar', unit: 'quarter', timeZone: 'America/New_York' },
    budgeting: { method: 'timeslices', sliceMinutes: 60, threshold: 1 },
    sli: { source: 'demo', profile: 'latency', seed: 'search' },
    alertPolicy: { budgetLowShare: null },
  }),
  slo('search', {
    slug: 'search-otel',
    name: 'Search over OpenTelemetry',
    objective: 0.9,
    window: { kind: 'rolling', days: 7 },
    sli: {
      source: 'otel',
      ...otelTemplate('http_availability'),
      filters: [{ kind: 'match', attribute: 'service.name', scope: 'resource', values: ['search'] }],
    },
    alertPolicy: { tiers: [{ severity: 'ticket', longWindow: '6h', shortWindow: '30m', burnRate: 6 }] },
    minEvents: 5000,
    labels: { team: 'discovery', env: 'prod' },
  }),
];

describe('fromUmpire then importOpenSlo', () => {
  const text = fromUmpire(services, catalogue);

  test('gives back exactly the same services and SLOs', () => {
    const files = {
      services: Object.fromEntries(services.map((s) => [s.slug, 'umpire.yaml'])),
      slos: Object.fromEntries(catalogue.map((s) => [`${s.service}/${s.input.slug}`, 'umpire.yaml'])),
    };
    expect(importOpenSlo([{ name: 'umpire.yaml', text }])).toEqual({ ok: true, value: { services, slos: catalogue, files } });
  });

  test('writes plain OpenSLO where it can: a Prometheus ratio needs no Umpire annotation', () => {
    const availability = text.split('---\n').find((doc) => doc.includes('name: checkout-availability'))!;
    expect(availability).toContain('apiVersion: openslo/v1');
    expect(availability).toContain('metricSourceRef: prom-eu');
    expect(availability).toContain('query: http_requests_total{job="checkout",code=~"5.."}');
    expect(availability).not.toContain('umpire.dev/sli');
    expect(availability).toContain('isRolling: true');
  });

  test('writes each alert tier as an inline AlertPolicy with a burnrate condition', () => {
    const ratio = text.split('---\n').find((doc) => doc.includes('name: checkout-good-ratio'))!;
    expect(ratio).toContain('kind: burnrate');
    expect(ratio).toContain('lookbackWindow: 1h');
    expect(ratio).toContain('alertAfter: 2m');
    expect(ratio).toContain('budgetingMethod: Timeslices');
    expect(ratio).toContain('timeSliceWindow: 5m');
  });

  test('a file of several documents read as several files gives the same result', () => {
    const files = text.split('---\n').map((doc, i) => ({ name: `doc-${i}.yaml`, text: doc }));
    const result = importOpenSlo(files);
    expect(result).toEqual({ ok: true, value: { services, slos: catalogue, files: expect.any(Object) } });
    // Each object names the file of its own document.
    const origins = result.ok ? result.value.files! : { services: {}, slos: {} };
    for (const [name, file] of [...Object.entries(origins.services), ...Object.entries(origins.slos)]) {
      expect(files.find((f) => f.name === file)!.text).toContain(`name: ${name.split('/').at(-1)}`);
    }
  });
});

test('the export holds no YAML aliases, which some readers refuse', () => {
  expect(fromUmpire(services, catalogue)).not.toMatch(/[&*]a\d/);
});

test('a slug of 63 characters still names its indicator and alert policies within 63', () => {
  const slug = `a${'-b'.repeat(31)}`;
  const long = slo('checkout', { ...catalogue[1]!.input, slug });
  const text = fromUmpire([], [long]);
  const names = [...text.matchAll(/^\s*name: (\S+)$/gm)].map((match) => match[1]!);
  expect(names).toContain('a-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-b-sli');
  expect(names.every((name) => name.length <= 63)).toBe(true);
  expect(importOpenSlo([{ name: 'long.yaml', text }])).toEqual({
    ok: true,
    value: { services: [], slos: [long], files: { services: {}, slos: { [`checkout/${slug}`]: 'long.yaml' } } },
  });
});

test('two services may each have an SLO of the same name: the export re-imports (names are unique within a service)', () => {
  const availability = { slug: 'availability', name: 'Availability', objective: 0.999, sli: catalogue[0]!.input.sli };
  const both = [slo('checkout', availability), slo('search', availability)];
  const result = importOpenSlo([{ name: 'both.yaml', text: fromUmpire(services, both) }]);
  expect(result.ok && result.value.slos).toEqual(both);
  const twice = fromUmpire([], [both[0]!, both[0]!]);
  expect(importOpenSlo([{ name: 'twice.yaml', text: twice }])).toEqual({
    ok: false,
    errors: ['twice.yaml#2 SLO availability: metadata.name: is also used by twice.yaml#1 SLO availability'],
  });
});

test("an SLO's notification targets travel inline in its alert policies and come back", () => {
  const withTiers = catalogue.find((s) => s.input.alertPolicy?.tiers)!;
  const severities = [...new Set(withTiers.input.alertPolicy!.tiers!.map((t) => t.severity))];
  const targets = severities.flatMap((severity) => [
    { channel: 'payments-oncall', severity, kind: 'pagerduty' },
    { channel: 'payments-chat', severity, kind: 'slack' },
  ]);
  const text = fromUmpire([], [{ ...withTiers, targets }]);
  expect(text).toContain('kind: AlertNotificationTarget');
  const result = importOpenSlo([{ name: 'targets.yaml', text }]);
  expect(result.ok && result.value.slos[0]).toEqual({ ...withTiers, targets });
});
