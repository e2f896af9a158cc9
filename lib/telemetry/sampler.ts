import { SpanKind, type Attributes, type Context, type Link } from '@opentelemetry/api';
import { getNumberFromEnv, getStringFromEnv } from '@opentelemetry/core';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace-base';

/** The sampler OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG name, as the SDK spec defines them. */
export function samplerFromEnv(): Sampler {
  const name = getStringFromEnv('OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on';
  const ratio = () => {
    const arg = getNumberFromEnv('OTEL_TRACES_SAMPLER_ARG');
    return arg === undefined || arg < 0 || arg > 1 ? 1 : arg;
  };
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio());
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio()) });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * Server spans are always recorded, even when the trace is not sampled (the caller's traceparent said so,
 * or a ratio sampler left it out): http.server.request.duration is derived from them and must count every
 * request. A recorded but unsampled span is never exported, and its children follow the sampling decision.
 */
export class RecordServerSpansSampler implements Sampler {
  constructor(private readonly delegate: Sampler) {}

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const result = this.delegate.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    if (result.decision === SamplingDecision.NOT_RECORD && spanKind === SpanKind.SERVER) return { ...result, decision: SamplingDecision.RECORD };
    return result;
  }

  toString(): string {
    return `RecordServerSpans{${this.delegate.toString()}}`;
  }
}
