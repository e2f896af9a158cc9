import type { SliSpec } from '../schemas';
import { demoSource } from './demo/demo-source';
import type { PrometheusClient } from './prometheus/client';
import { createPrometheusSource } from './prometheus/prometheus-source';
import type { PullSource } from './types';

/** What adapters need from outside that only a use-case may provide (it owns the database). */
export interface SourceDeps {
  /** A client for the Prometheus-compatible data source with this slug. */
  prometheusClient: (datasource: string) => Promise<PrometheusClient>;
}

/** The adapter for an SLI spec's source. Adding a source means adding a case here and a folder beside demo/. */
export function sourceFor(spec: SliSpec, deps: SourceDeps): PullSource {
  switch (spec.source) {
    case 'demo':
      return demoSource as PullSource;
    case 'prometheus':
      return createPrometheusSource(deps.prometheusClient) as PullSource;
    case 'otel':
      // Pushed to Umpire (POST /v1/metrics): the evaluator never pulls these; ingest writes their buckets.
      throw new Error('OpenTelemetry SLIs are pushed over OTLP, not pulled');
  }
}
