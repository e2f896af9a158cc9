import { describe, expect, test } from 'vitest';
import { PrometheusSli, SliSpec } from '@/lib/schemas';
import { promDraftOf, promLocalErrors, promLocate, promSliOf } from './prometheus-sli-fields';

const SLIS = [
  { source: 'prometheus', datasource: 'prod', kind: 'ratio', goodSelector: 'http_requests_total{code!~"5.."}', totalSelector: 'http_requests_total' },
  { source: 'prometheus', datasource: 'prod', kind: 'ratio', badSelector: 'http_requests_total{code=~"5.."}', totalSelector: 'http_requests_total' },
  { source: 'prometheus', datasource: 'prod', kind: 'latency', metric: 'http_request_duration_seconds', thresholdSeconds: 0.25, filters: { job: 'api' } },
  { source: 'prometheus', datasource: 'prod', kind: 'advanced', goodQuery: 'sum(increase(a[$__range]))', totalQuery: 'sum(increase(b[$__range]))' },
] as const;

describe('the Prometheus SLI fields', () => {
  test.each(SLIS.map((sli) => [sli.kind, sli] as const))('%s: an SLI round-trips through the form draft', (_, sli) => {
    const parsed = PrometheusSli.parse(sli);
    expect(SliSpec.parse(promSliOf(promDraftOf(parsed, [])))).toEqual(parsed);
  });

  test('a new draft names the first data source and is a ratio of good events', () => {
    const draft = promDraftOf(null, [{ slug: 'first' }, { slug: 'second' }] as never);
    expect(draft).toMatchObject({ datasource: 'first', kind: 'ratio', ratioMode: 'good' });
  });

  test('schema errors land on the field the user sees, whichever selector the toggle shows', () => {
    const draft = { ...promDraftOf(null, []), ratioMode: 'bad' as const };
    expect(promLocate('sli.badSelector', draft)).toEqual({ id: 'slo-event-selector', label: 'Bad events' });
    expect(promLocate('sli.goodSelector', draft)?.id).toBe('slo-event-selector');
    expect(promLocate('sli.thresholdSeconds', draft)?.id).toBe('slo-threshold');
  });

  test('a label filtered twice is reported at its row', () => {
    const draft = {
      ...promDraftOf(null, []),
      kind: 'latency' as const,
      filters: [
        { key: 1, label: 'job', value: 'a' },
        { key: 2, label: 'job', value: 'b' },
      ],
    };
    const errors = promLocalErrors(draft);
    expect(errors).toEqual({ 'sli.filters.job': 'is used twice' });
    expect(promLocate('sli.filters.job', draft)?.id).toBe('slo-filter-1-label');
  });
});
