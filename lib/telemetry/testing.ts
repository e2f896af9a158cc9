import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type DataPoint, type Histogram, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, type Sampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** A reader that collects on demand, for tests. */
class TestReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

export interface TestTelemetry {
  collect(): Promise<ResourceMetrics>;
  /** The data of one metric by name, or undefined when it has no points. */
  metric(name: string): Promise<MetricData | undefined>;
  tracerProvider: BasicTracerProvider;
  stop(): Promise<void>;
}

/** In-memory global meter and tracer providers (for code that uses the API's globals), torn down by stop(). */
export function startTestTelemetry(options: { spanProcessors?: SpanProcessor[]; sampler?: Sampler } = {}): TestTelemetry {
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const tracerProvider = new BasicTracerProvider({ spanProcessors: options.spanProcessors ?? [], ...(options.sampler ? { sampler: options.sampler } : {}) });
  metrics.setGlobalMeterProvider(meterProvider);
  trace.setGlobalTracerProvider(tracerProvider);
  const collect = async () => (await reader.collect()).resourceMetrics;
  return {
    collect,
    metric: async (name) => (await collect()).scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name && m.dataPoints.length > 0),
    tracerProvider,
    stop: async () => {
      metrics.disable();
      trace.disable();
      await Promise.all([meterProvider.shutdown(), tracerProvider.shutdown()]);
    },
  };
}

/** Points of a metric as [attributes, value] pairs, for compact assertions. */
export function points<T>(metric: MetricData | undefined): Array<[Record<string, unknown>, T]> {
  return ((metric?.dataPoints ?? []) as Array<DataPoint<T>>).map((p) => [p.attributes, p.value]);
}

export type { Histogram };
