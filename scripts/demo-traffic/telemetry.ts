// The shop's OpenTelemetry metrics SDK, set up as any Node service would: a MeterProvider with the service's
// resource, an OTLP/HTTP protobuf exporter pointed at Umpire with the ingest token, a periodic reader, cumulative.
import { diag, DiagLogLevel, type Histogram, type Meter } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
  type AggregationOption,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION, METRIC_HTTP_SERVER_REQUEST_DURATION } from '@opentelemetry/semantic-conventions';
import { HTTP_DURATION_BUCKETS } from './umpire-api';

/** How the exports are going, for the status line. */
export interface ExportStatus {
  ok: number;
  failed: number;
  lastOkAt: number | null;
  /** The last failure, unless an export has succeeded since. */
  problem: string | null;
  /** Umpire's last partial-success message (points it refused), if any. */
  refused: string | null;
}

/** What an export failure means for the person running the demo. */
export function describeExportError(error: unknown, umpireUrl: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  const data = (error as { data?: unknown } | null)?.data;
  const detail = typeof data === 'string' && data.trim() !== '' ? `: ${data.trim().slice(0, 200)}` : '';
  if (code === 401) return `Umpire refused the ingest token (401): it is wrong, revoked or expired${detail}`;
  if (typeof code === 'number') return `Umpire refused the export (${code})${detail}`;
  const message = error instanceof Error ? error.message : String(error);
  return `Umpire is not reachable at ${umpireUrl} (${message}); retrying at the next export, nothing is lost (cumulative counts)`;
}

/** Passes every export through and keeps count, so the demo can say whether Umpire is receiving. */
class ObservedExporter implements PushMetricExporter {
  constructor(
    private readonly inner: OTLPMetricExporter,
    private readonly status: ExportStatus,
    private readonly umpireUrl: string,
  ) {}

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.inner.export(metrics, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        this.status.ok++;
        this.status.lastOkAt = Date.now();
        this.status.problem = null;
      } else {
        this.status.failed++;
        this.status.problem = describeExportError(result.error, this.umpireUrl);
      }
      resultCallback(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.inner.selectAggregationTemporality(instrumentType);
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.inner.selectAggregation(instrumentType);
  }
}

export interface ShopTelemetry {
  meter: Meter;
  /** http.server.request.duration, in seconds, with the semantic conventions' boundaries. */
  requestDuration: Histogram;
  status: ExportStatus;
  /** Collects and exports now (the test calls this instead of waiting for the interval). */
  forceFlush(): Promise<void>;
  /** Exports what is left, then stops. */
  shutdown(): Promise<void>;
}

export interface ShopTelemetryOptions {
  umpireUrl: string;
  token: string;
  serviceName: string;
  exportIntervalMs: number;
}

export function startShopTelemetry(options: ShopTelemetryOptions): ShopTelemetry {
  const status: ExportStatus = { ok: 0, failed: 0, lastOkAt: null, problem: null, refused: null };
  // The exporter reports Umpire's partial success (points it refused) through the diagnostic logger only.
  diag.setLogger(
    {
      error: () => undefined,
      warn: (message, ...args) => {
        if (message.startsWith('Received Partial Success')) status.refused = args.map(String).join(' ').slice(0, 300);
      },
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const exporter = new OTLPMetricExporter({
    url: `${options.umpireUrl}/v1/metrics`,
    headers: { authorization: `Bearer ${options.token}` },
    temporalityPreference: AggregationTemporality.CUMULATIVE,
    timeoutMillis: Math.min(10_000, options.exportIntervalMs),
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: new ObservedExporter(exporter, status, options.umpireUrl),
    exportIntervalMillis: options.exportIntervalMs,
    exportTimeoutMillis: Math.min(10_000, options.exportIntervalMs),
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: '1.0.0',
      'deployment.environment.name': 'demo',
    }),
    readers: [reader],
  });
  const meter = provider.getMeter('umpire-demo-shop', '1.0.0');
  const requestDuration = meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    advice: { explicitBucketBoundaries: HTTP_DURATION_BUCKETS },
  });
  return {
    meter,
    requestDuration,
    status,
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
