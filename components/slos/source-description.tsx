import type { DataSource, SliSpec } from '@/lib/schemas';

type PrometheusSpec = Extract<SliSpec, { source: 'prometheus' }>;

const KIND_LABEL: Record<PrometheusSpec['kind'], string> = {
  ratio: 'Ratio',
  latency: 'Latency (histogram)',
  advanced: 'Advanced PromQL',
};

function demoSummary(sli: Extract<SliSpec, { source: 'demo' }>): string {
  return `${sli.profile} profile, ${sli.eventsPerMinute.toLocaleString('en-US')} events/min at peak, baseline error ratio ${sli.baselineErrorRatio}, seed “${sli.seed}”`;
}

function filtersText(filters: Record<string, string>): string {
  return Object.entries(filters)
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
    .join(', ');
}

/** The rows describing what a Prometheus SLI reads, in PromQL's own spelling. */
function prometheusRows(sli: PrometheusSpec): Array<{ term: string; value: string; block?: boolean }> {
  switch (sli.kind) {
    case 'ratio':
      return [
        sli.badSelector !== undefined ? { term: 'Bad events', value: sli.badSelector } : { term: 'Good events', value: sli.goodSelector ?? '' },
        { term: 'Total events', value: sli.totalSelector },
      ];
    case 'latency': {
      const filters = filtersText(sli.filters);
      return [
        { term: 'Histogram', value: sli.metric },
        { term: 'Threshold', value: `≤ ${sli.thresholdSeconds} s` },
        ...(filters ? [{ term: 'Filters', value: filters }] : []),
      ];
    }
    case 'advanced':
      return [
        { term: 'Good query', value: sli.goodQuery, block: true },
        { term: 'Total query', value: sli.totalQuery, block: true },
      ];
  }
}

export interface SourceDescriptionProps {
  sli: SliSpec;
  /** The data source a Prometheus SLI names; null when it is no longer registered. */
  datasource?: Pick<DataSource, 'name' | 'slug'> | null;
}

/** Where the SLO's events come from: the demo's parameters, or the data source and the exact selectors or queries. */
export function SourceDescription({ sli, datasource }: SourceDescriptionProps) {
  if (sli.source === 'demo') {
    return (
      <p className="meta-row">
        <span className="meta-item">
          <span className="meta-label">Source</span> Demo (synthetic): {demoSummary(sli)}
        </span>
      </p>
    );
  }
  return (
    <div className="source-description" role="group" aria-label="SLI source">
      <p className="meta-row">
        <span className="meta-item">
          <span className="meta-label">Source</span> Prometheus ·{' '}
          {datasource ? (
            <>
              {datasource.name} <code>{datasource.slug}</code>
            </>
          ) : (
            <>
              <code>{sli.datasource}</code> <span className="budget-danger">(no such data source)</span>
            </>
          )}
        </span>
        <span className="meta-item">
          <span className="meta-label">Kind</span> {KIND_LABEL[sli.kind]}
        </span>
      </p>
      <dl className="source-details">
        {prometheusRows(sli).map((row) => (
          <div key={row.term}>
            <dt>{row.term}</dt>
            <dd>{row.block ? <pre className="query-block">{row.value}</pre> : <code>{row.value}</code>}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** Two short lines for an SLO card: the source, and its main selector or query cut to fit (in full on hover). */
export function SourceLine({ sli }: { sli: SliSpec }) {
  if (sli.source === 'demo') return null;
  const main = sli.kind === 'latency' ? { value: `${sli.metric} ≤ ${sli.thresholdSeconds} s` } : prometheusRows(sli)[0];
  return (
    <div className="source-line">
      <span>
        Prometheus · <code>{sli.datasource}</code> · {KIND_LABEL[sli.kind]}
      </span>
      {main ? (
        <code className="source-line-expr" title={main.value}>
          {main.value}
        </code>
      ) : null}
    </div>
  );
}
