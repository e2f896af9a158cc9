import type { DataSource, SliSpec } from '@/lib/schemas';
import { conditionWords, matchWords, otelSentences, templateLabel } from '../otel/otel-draft';

type PrometheusSpec = Extract<SliSpec, { source: 'prometheus' }>;
type OtelSpec = Extract<SliSpec, { source: 'otel' }>;

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

/** Each text in <code>, joined by "and". */
function JoinedCodes({ items }: { items: string[] }) {
  return (
    <>
      {items.map((text, i) => (
        <span key={i}>
          {i > 0 ? ' and ' : null}
          <code>{text}</code>
        </span>
      ))}
    </>
  );
}

/** Filters as written in the SLI, with where each attribute is looked up. */
function otelFilterText(filter: OtelSpec['filters'][number]): string {
  return `${matchWords(filter)} (${filter.scope === 'resource' ? 'resource' : 'data point'})`;
}

/** An OpenTelemetry SLI in words: the metric, its filters, the good conditions, and what total and good mean. */
function OtelDescription({ sli }: { sli: OtelSpec }) {
  const sentences = otelSentences(sli);
  return (
    <div className="source-description" role="group" aria-label="SLI source">
      <p className="meta-row">
        <span className="meta-item">
          <span className="meta-label">Source</span> OpenTelemetry (OTLP push)
        </span>
        <span className="meta-item">
          <span className="meta-label">Template</span> {templateLabel(sli.template)}
        </span>
      </p>
      <dl className="source-details">
        <div>
          <dt>Metric</dt>
          <dd>
            <code>{sli.metric}</code>
          </dd>
        </div>
        <div>
          <dt>Filters</dt>
          <dd>{sli.filters.length > 0 ? <JoinedCodes items={sli.filters.map(otelFilterText)} /> : 'none: every series of the metric'}</dd>
        </div>
        <div>
          <dt>Good when</dt>
          <dd>
            <JoinedCodes items={sli.good.map((c) => conditionWords(c))} />
          </dd>
        </div>
        <div>
          <dt>Counts</dt>
          <dd>
            Total: {sentences.total} Good: {sentences.good}
          </dd>
        </div>
      </dl>
    </div>
  );
}

export interface SourceDescriptionProps {
  sli: SliSpec;
  /** The data source a Prometheus SLI names; null when it is no longer registered. */
  datasource?: Pick<DataSource, 'name' | 'slug'> | null;
}

/**
 * Where the SLO's events come from: the demo's parameters, the Prometheus data source and its exact selectors
 * or queries, or the OpenTelemetry metric pushed to Umpire with its filters and good conditions.
 */
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
  if (sli.source === 'otel') return <OtelDescription sli={sli} />;
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
  if (sli.source === 'otel') {
    const expr = [...sli.filters.map(matchWords), `good: ${sli.good.map((c) => conditionWords(c)).join(' and ')}`].join(' · ');
    return (
      <div className="source-line">
        <span>
          OpenTelemetry · <code>{sli.metric}</code> · {templateLabel(sli.template)}
        </span>
        <code className="source-line-expr" title={expr}>
          {expr}
        </code>
      </div>
    );
  }
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
