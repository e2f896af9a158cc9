import { UnprocessableError } from '../../errors';
import type { OtelSli } from '../../schemas';
import type { SourceKind } from '../types';

/**
 * Counters and histograms services push over OTLP (POST /v1/metrics): ingest writes their buckets, so the
 * evaluator never reads them, and Umpire keeps no raw points to preview or read again.
 */
export const otelKind: SourceKind<OtelSli> = {
  kind: 'otel',
  describe: { label: 'OpenTelemetry (OTLP push)', help: 'Counters or histograms your services push to Umpire with an OpenTelemetry SDK or Collector.' },
  pushed: true,
  /**
   * Against what Umpire has received: a metric it has never seen is allowed (the service may not have sent it
   * yet), but one it knows to be unusable (a gauge; a latency condition on a non-histogram) is not.
   */
  async validate(sli, context) {
    const known = await context.otelMetric(sli.metric);
    if (!known) return;
    const usable = (known.type === 'sum' && known.monotonic) || known.type === 'histogram' || known.type === 'exponential_histogram';
    if (!usable) {
      const what = known.type === 'sum' ? 'a non-monotonic sum' : `a ${known.type}`;
      throw new UnprocessableError(`${sli.metric} is ${what}`, {
        'sli.metric': `is ${what}: SLIs count events from monotonic sums and histograms`,
      });
    }
    const latencyAt = sli.good.findIndex((c) => c.kind === 'latency');
    if (latencyAt < 0) return;
    if (known.type !== 'histogram') {
      throw new UnprocessableError(`${sli.metric} is not an explicit-bucket histogram`, {
        [`sli.good.${latencyAt}.threshold`]: 'a latency condition needs an explicit-bucket histogram',
      });
    }
    // Bounds are not checked here: services sending the same metric may bucket it differently. Points whose
    // bounds lack the threshold are refused at ingest, with the reason in the OTLP response.
  },
  backfill() {
    throw new UnprocessableError('OpenTelemetry SLIs are pushed to Umpire: there is no backend to read their history again from', {
      'sli.source': 'has no history to re-read',
    });
  },
  async preview(sli) {
    // Umpire keeps no raw OTLP points (only the buckets of SLOs that exist), so there is nothing to run it on yet.
    return {
      ok: false,
      error: {
        kind: 'no_history',
        message: `OpenTelemetry SLIs count points as they arrive: this one starts when the SLO is saved. Umpire keeps no earlier ${sli.metric} points to preview.`,
      },
    };
  },
  // Ingest keeps an index of the pushed SLOs: counted from the next OTLP request on.
  onSloChanged: (context) => context.invalidateOtelSloIndex(),
};
