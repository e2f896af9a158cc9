'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { OtelMetricList } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { otelMetricsOptions } from '@/lib/queries/otel';
import { Badge } from '../badges';
import { LocalTime } from '../local-time';
import { ExporterHowTo } from './exporter-howto';
import { TYPE_WORDS, unusableReason } from './otel-draft';
import './otel.css';

function Keys({ label, keys }: { label: string; keys: string[] }) {
  if (keys.length === 0) return null;
  return (
    <div>
      <span className="row-meta">{label}</span>
      <ul className="otel-key-list" aria-label={label}>
        {keys.map((k) => (
          <li key={k}>
            <code>{k}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface ReceivedMetricsProps {
  /** As the server rendered them (the first page); refreshed every minute (every 15 s while empty). */
  initialMetrics: OtelMetricList;
}

/** The metrics Umpire has received over OTLP recently: what each is, when it last came, its attribute keys. */
export function ReceivedMetrics({ initialMetrics }: ReceivedMetricsProps) {
  const query = useQuery({ ...otelMetricsOptions(), initialData: initialMetrics });
  const { metrics, truncated } = query.data;

  return (
    <section aria-labelledby="received-title" className="section otel-section-gap">
      <div className="section-header">
        <h2 id="received-title">Metrics received</h2>
        <p>
          Metrics pushed in the last 7 days, with the attributes seen, those SLOs read first. Counters and histograms can be SLIs. Each ingest token adds at
          most a set number of names (UMPIRE_OTEL_CATALOG_METRICS_PER_TOKEN); its exporter is told when it reaches it.
          {truncated ? ` More have arrived than the ${metrics.length} listed: each token’s most recent ones are.` : ''}
        </p>
      </div>
      {query.isError ? (
        <div className="callout callout-danger" role="alert" style={{ marginBottom: 12 }}>
          <span>
            <strong>Could not refresh the metrics; the list below may be out of date.</strong> {errorMessage(query.error)}
          </span>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()} disabled={query.isFetching}>
            Retry
          </button>
        </div>
      ) : null}
      {metrics.length === 0 ? (
        <ExporterHowTo />
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="received-metrics">
            <caption className="visually-hidden">Metrics received</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Type</th>
                <th scope="col">Unit</th>
                <th scope="col">Last seen</th>
                <th scope="col">Attributes</th>
                <th scope="col">In an SLO</th>
              </tr>
            </thead>
            <tbody>
              {metrics.map((m) => {
                const why = unusableReason(m);
                const keys = (scope: 'resource' | 'datapoint') => m.attributes.filter((a) => a.scope === scope).map((a) => a.key);
                return (
                  <tr key={m.name} data-metric={m.name}>
                    <th scope="row">
                      <code className="row-title">{m.name}</code>
                      {m.description ? <div className="row-meta">{m.description}</div> : null}
                    </th>
                    <td>
                      {m.type === 'sum' ? (m.monotonic ? 'counter' : 'up-down counter') : TYPE_WORDS[m.type]}
                      <div className="row-meta">{m.temporality}</div>
                      {m.type === 'histogram' && m.bounds.length > 0 ? (
                        <div className="row-meta" title={m.bounds.join(', ')}>
                          {m.bounds.length} bucket boundaries
                        </div>
                      ) : null}
                    </td>
                    <td>{m.unit ? <code>{m.unit}</code> : <span className="muted">none</span>}</td>
                    <td>
                      <LocalTime iso={m.lastSeenAt} />
                    </td>
                    <td>
                      <Keys label="Resource" keys={keys('resource')} />
                      <Keys label="Data point" keys={keys('datapoint')} />
                    </td>
                    <td>
                      {why ? (
                        <span className="small">
                          <Badge tone="muted">Not usable</Badge> <span className="row-meta">{why}</span>
                        </span>
                      ) : (
                        <span className="small">
                          {m.slos > 0 ? (
                            <span className="row-meta">
                              Read by {m.slos} SLO{m.slos === 1 ? '' : 's'}.{' '}
                            </span>
                          ) : null}
                          <strong>Define an SLO:</strong> on a <Link href="/">service</Link>, New SLO → source OpenTelemetry → pick <code>{m.name}</code>.
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
