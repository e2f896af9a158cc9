import { getBooleanFromEnv, getNumberFromEnv, getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, envDetector, hostDetector, resourceFromAttributes, serviceInstanceIdDetector } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  PeriodicExportingMetricReader,
  type IMetricReader,
  type MetricProducer,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import packageJson from '../../package.json';
import { env } from '../env';
import { log } from '../log';
import { HttpServerDurationProcessor } from './http-server-duration';
import { registerInstruments, SloStateSnapshots, sloStateProducer, type SloStateSnapshot } from './metrics';
import { RecordServerSpansSampler, samplerFromEnv } from './sampler';
import { setTelemetryState, telemetryState, type TelemetryState } from './state';

export interface TelemetryOptions {
  /** The bearer token for Umpire's own OTLP receiver; needed only with UMPIRE_SELF_OBSERVE=on. */
  selfIngestToken?: () => Promise<string>;
  /** Reads the SLOs' stored states for the per-SLO series (/metrics and OTLP export); none without it. */
  sloStates?: () => Promise<SloStateSnapshot>;
}

/** True when an OTEL_*_EXPORTER variable lists `none` (the spec's way of switching a signal's export off). */
function exporterDisabled(variable: string): boolean {
  return (getStringListFromEnv(variable) ?? []).includes('none');
}

/** The OTLP endpoint for a signal, from the standard variables; an empty value counts as unset. */
function otlpEndpoint(signal: 'TRACES' | 'METRICS'): string | undefined {
  return getStringFromEnv(`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`) ?? getStringFromEnv('OTEL_EXPORTER_OTLP_ENDPOINT');
}

function periodicReader(exporter: PushMetricExporter, intervalMs: number, metricProducers: MetricProducer[] = []): PeriodicExportingMetricReader {
  // The reader refuses a timeout longer than its interval.
  const timeoutMs = Math.min(getNumberFromEnv('OTEL_METRIC_EXPORT_TIMEOUT') ?? 30_000, intervalMs);
  return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: intervalMs, exportTimeoutMillis: timeoutMs, metricProducers });
}

/** Variables meant for the operator's collector that OTLP exporters read in their constructor. */
const COLLECTOR_ONLY = [
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_METRICS_HEADERS',
  'OTEL_EXPORTER_OTLP_COMPRESSION',
  'OTEL_EXPORTER_OTLP_METRICS_COMPRESSION',
  'OTEL_EXPORTER_OTLP_CERTIFICATE',
  'OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE',
  'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE',
  'OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE',
  'OTEL_EXPORTER_OTLP_CLIENT_KEY',
  'OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY',
];

/** Runs `create` with the collector's headers and certificates hidden, so they never reach another endpoint. */
function withoutCollectorSettings<T>(create: () => T): T {
  const saved = COLLECTOR_ONLY.map((name) => [name, process.env[name]] as const);
  for (const name of COLLECTOR_ONLY) delete process.env[name];
  try {
    return create();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

/**
 * Dogfooding: Umpire's metrics pushed to its own OTLP receiver (POST /v1/metrics) with an ingest token.
 * The token is fetched at the first export, not at start, and again after a failure; the exporter's header
 * factory must never throw, so a failure sends no Authorization header (the receiver answers 401).
 */
function selfObservationReader(token: () => Promise<string>, intervalMs: number): { reader: IMetricReader; url: string } {
  const base = (env().UMPIRE_SELF_URL ?? `http://127.0.0.1:${env().PORT}`).replace(/\/+$/, '');
  const url = `${base}/v1/metrics`;
  let pending: Promise<string> | null = null;
  let failing = false;
  const headers = async (): Promise<Record<string, string>> => {
    pending ??= token();
    try {
      const value = await pending;
      failing = false;
      return { Authorization: `Bearer ${value}` };
    } catch (error) {
      pending = null;
      // Once per run of failures, not at every export.
      if (!failing) log.warn('telemetry.self_token_failed', { error });
      failing = true;
      return {};
    }
  };
  const exporter = withoutCollectorSettings(
    () => new OTLPMetricExporter({ url, headers, temporalityPreference: AggregationTemporality.CUMULATIVE, timeoutMillis: Math.min(10_000, intervalMs) }),
  );
  return { reader: periodicReader(exporter, intervalMs), url };
}

/**
 * Starts OpenTelemetry once per process: traces (Next.js's own spans, pg, backend requests) exported over OTLP
 * when an endpoint is configured; metrics read by /metrics (Prometheus), pushed over OTLP when an endpoint is
 * configured, and pushed to Umpire's own receiver with UMPIRE_SELF_OBSERVE=on. Returns undefined when off.
 */
export async function startTelemetry(options: TelemetryOptions = {}): Promise<TelemetryState | undefined> {
  const running = telemetryState();
  if (running) return running;
  const config = env();
  if (config.UMPIRE_TELEMETRY === 'off' || getBooleanFromEnv('OTEL_SDK_DISABLED')) {
    log.info('telemetry.off');
    return undefined;
  }

  // Served by app/metrics/route.ts rather than on a port of its own.
  // The per-SLO series come from one snapshot of the stored states, shared by the readers (one query per 15 s at most).
  const sloStates = options.sloStates ? new SloStateSnapshots(options.sloStates) : undefined;
  const producers = sloStates ? [sloStateProducer(sloStates)] : [];
  const prometheus = new PrometheusExporter({ preventServerStart: true, metricProducers: producers });
  const readers: IMetricReader[] = [prometheus];
  const exported: string[] = ['prometheus'];
  const metricsEndpoint = otlpEndpoint('METRICS');
  if (metricsEndpoint && !exporterDisabled('OTEL_METRICS_EXPORTER')) {
    readers.push(periodicReader(new OTLPMetricExporter(), getNumberFromEnv('OTEL_METRIC_EXPORT_INTERVAL') ?? 60_000, producers));
    exported.push('otlp');
  }
  if (config.UMPIRE_SELF_OBSERVE === 'on') {
    if (options.selfIngestToken) {
      const self = selfObservationReader(options.selfIngestToken, config.UMPIRE_SELF_OBSERVE_INTERVAL_MS);
      readers.push(self.reader);
      exported.push(`self:${self.url}`);
    } else {
      log.warn('telemetry.self_observe_unavailable', { reason: 'no ingest token provider' });
    }
  }

  // The HTTP duration processor needs server spans even when no trace is exported.
  const spanProcessors: SpanProcessor[] = [new HttpServerDurationProcessor()];
  const tracesEndpoint = otlpEndpoint('TRACES');
  const exportTraces = tracesEndpoint !== undefined && !exporterDisabled('OTEL_TRACES_EXPORTER');
  if (exportTraces) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  const protocol = getStringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol && protocol !== 'http/protobuf') log.warn('telemetry.protocol_unsupported', { protocol, using: 'http/protobuf' });

  const sdk = new NodeSDK({
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'umpire', [ATTR_SERVICE_VERSION]: packageJson.version })),
    // Later detectors win: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override the defaults above.
    resourceDetectors: [serviceInstanceIdDetector, hostDetector, envDetector],
    sampler: new RecordServerSpansSampler(samplerFromEnv()),
    spanProcessors,
    metricReaders: readers,
    // Umpire logs JSON lines to stdout (lib/log.ts); nothing goes through the OpenTelemetry logs API.
    logRecordProcessors: [],
    // Prisma's adapter imports pg as ESM, but pg loads lib/client.js with require(), which is what gets patched.
    // Queries outside any request or evaluator pass would be orphan traces: left out.
    instrumentations: [new PgInstrumentation({ requireParentSpan: true })],
  });
  sdk.start();
  registerInstruments();
  const state: TelemetryState = { prometheus, ...(sloStates ? { sloStates } : {}), shutdown: () => sdk.shutdown() };
  setTelemetryState(state);
  log.info('telemetry.started', { traces: exportTraces ? 'otlp' : 'none', metrics: exported });
  return state;
}
