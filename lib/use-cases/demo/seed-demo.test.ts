import { describe, expect, test } from 'vitest';
import { OtelSli, ServiceInput, SloInput } from '../../schemas/index';
import { HTTP_DURATION_BUCKETS } from '../../telemetry/metrics';
import { DEMO_CATALOG, SELF_OBSERVATION, SELF_SERVICE_NAME } from './seed-demo';

describe('the demo catalogue', () => {
  test.each([...DEMO_CATALOG, SELF_OBSERVATION].map((entry) => [entry.service.slug, entry] as const))('%s parses as API input', (_slug, entry) => {
    expect(() => ServiceInput.parse(entry.service)).not.toThrow();
    for (const slo of entry.slos) expect(() => SloInput.parse(slo)).not.toThrow();
  });

  test('service slugs are distinct, and no demo service is called umpire', () => {
    const slugs = [...DEMO_CATALOG, SELF_OBSERVATION].map((e) => e.service.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(SELF_OBSERVATION.service.slug).toBe('umpire');
  });
});

describe("Umpire's own SLOs", () => {
  const slos = SELF_OBSERVATION.slos.map((slo) => SloInput.parse(slo));
  const bySlug = new Map(slos.map((slo) => [slo.slug, slo]));
  const otel = (slug: string): OtelSli => {
    const sli = bySlug.get(slug)?.sli;
    if (sli?.source !== 'otel') throw new Error(`${slug} is not an otel SLO`);
    return sli;
  };

  test('the service is tier 1, owned by a team, and says it is Umpire observing itself', () => {
    const service = ServiceInput.parse(SELF_OBSERVATION.service);
    expect(service).toMatchObject({ slug: 'umpire', name: 'Umpire', tier: 1, ownerTeam: 'platform' });
    expect(service.description).toMatch(/observing itself/);
    expect(service.description).toMatch(/OTLP receiver/);
  });

  test.each([
    ['availability', 0.999],
    ['latency', 0.99],
  ])('%s: objective %d over a rolling 28 days', (slug, objective) => {
    expect(bySlug.get(slug)).toMatchObject({ objective, window: { kind: 'rolling', days: 28 }, budgeting: { method: 'occurrences' } });
  });

  test('both read http.server.request.duration from the resource service.name=umpire only', () => {
    for (const slug of ['availability', 'latency']) {
      const sli = otel(slug);
      expect(sli.metric).toBe('http.server.request.duration');
      expect(sli.filters).toEqual([{ kind: 'match', attribute: 'service.name', scope: 'resource', operator: 'in', values: [SELF_SERVICE_NAME] }]);
    }
  });

  test('availability counts status < 500 as good; latency counts requests at or under 0.5 s', () => {
    expect(otel('availability')).toMatchObject({
      template: 'http_availability',
      good: [{ kind: 'compare', attribute: 'http.response.status_code', scope: 'datapoint', operator: 'lt', value: 500 }],
    });
    expect(otel('latency')).toMatchObject({ template: 'http_latency', good: [{ kind: 'latency', threshold: 0.5 }] });
  });

  test("the latency threshold is one of the bucket boundaries Umpire's telemetry records", () => {
    const latency = otel('latency').good.find((c) => c.kind === 'latency');
    expect(HTTP_DURATION_BUCKETS).toContain(latency?.kind === 'latency' ? latency.threshold : NaN);
  });
});
