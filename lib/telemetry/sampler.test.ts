import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SamplingDecision,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { RecordServerSpansSampler, samplerFromEnv } from './sampler';

const unsampledCaller = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: TraceFlags.NONE, isRemote: true });

describe('RecordServerSpansSampler', () => {
  test.each([
    [SpanKind.SERVER, SamplingDecision.RECORD],
    [SpanKind.INTERNAL, SamplingDecision.NOT_RECORD],
    [SpanKind.CLIENT, SamplingDecision.NOT_RECORD],
  ])('under an unsampled caller, span kind %d is %d', (kind, want) => {
    const sampler = new RecordServerSpansSampler(new ParentBasedSampler({ root: new AlwaysOnSampler() }));
    expect(sampler.shouldSample(unsampledCaller, 'c'.repeat(32), 'GET', kind, {}, []).decision).toBe(want);
  });

  test('a server span it records is seen by processors but never exported, and its children are not recorded', () => {
    const exporter = new InMemorySpanExporter();
    const ended: ReadableSpan[] = [];
    const seen: SpanProcessor = { onStart: () => {}, onEnd: (s) => void ended.push(s), forceFlush: async () => {}, shutdown: async () => {} };
    const provider = new BasicTracerProvider({
      sampler: new RecordServerSpansSampler(new ParentBasedSampler({ root: new AlwaysOnSampler() })),
      spanProcessors: [seen, new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('test');
    const request = tracer.startSpan('GET', { kind: SpanKind.SERVER }, unsampledCaller);
    tracer.startSpan('pg.query', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, request)).end();
    request.end();
    expect(ended.map((s) => s.name)).toEqual(['GET']);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

describe('samplerFromEnv', () => {
  afterEach(() => vi.unstubAllEnvs());

  test.each([
    [undefined, undefined, 'ParentBased{root=AlwaysOnSampler'],
    ['always_off', undefined, 'AlwaysOffSampler'],
    ['traceidratio', '0.25', 'TraceIdRatioBased{0.25}'],
    ['parentbased_traceidratio', '2', 'ParentBased{root=TraceIdRatioBased{1}'],
    ['nonsense', undefined, 'ParentBased{root=AlwaysOnSampler'],
  ])('OTEL_TRACES_SAMPLER=%s ARG=%s', (name, arg, want) => {
    if (name !== undefined) vi.stubEnv('OTEL_TRACES_SAMPLER', name);
    if (arg !== undefined) vi.stubEnv('OTEL_TRACES_SAMPLER_ARG', arg);
    expect(samplerFromEnv().toString()).toContain(want);
  });
});
