import { authorize, type Actor } from '../../auth/authorize';
import { sliOf } from '../../slo/index';
import type { SliPreviewResult, SliSpec } from '../../schemas/index';
import { generateDemoBuckets } from '../../sources/demo/generator';
import { PrometheusError } from '../../sources/prometheus/client';
import { previewSli as previewPrometheusSli } from '../../sources/prometheus/prometheus-source';
import { findDataSourceRow, prometheusClientFor } from '../datasources/data-source-records';
import { NotFoundError } from '../../errors';

const HOUR_MS = 3_600_000;

function sum(buckets: Array<{ good: number; total: number }>) {
  return buckets.reduce((acc, b) => ({ good: acc.good + b.good, total: acc.total + b.total }), { good: 0, total: 0 });
}

/**
 * Runs an SLI before it is saved: the hour and the day before the last whole minute (or before `at`, to see what it
 * said then) and a 24-hour sparkline, or the source's error verbatim.
 */
export async function previewSli({ actor, sli, at: asked, now = new Date() }: { actor: Actor; sli: SliSpec; at?: Date; now?: Date }): Promise<SliPreviewResult> {
  await authorize(actor, 'sli.preview');
  const at = new Date(Math.floor(Math.min(now.getTime(), asked?.getTime() ?? Infinity) / 60_000) * 60_000);
  if (sli.source === 'demo') {
    const day = generateDemoBuckets(sli, new Date(at.getTime() - 24 * HOUR_MS), at);
    const hour = sum(day.slice(-60));
    const sparkline = Array.from({ length: 24 }, (_, i) => {
      const counts = sum(day.slice(i * 60, i * 60 + 60));
      return { t: new Date(at.getTime() - (23 - i) * HOUR_MS).toISOString(), sli: sliOf(counts) };
    });
    return { ok: true, preview: { at: at.toISOString(), good: hour.good, total: hour.total, sliLastHour: sliOf(hour), sliLastDay: sliOf(sum(day)), sparkline } };
  }
  if (sli.source === 'otel') {
    // Umpire keeps no raw OTLP points (only the buckets of SLOs that exist), so there is nothing to run it on yet.
    return {
      ok: false,
      error: {
        kind: 'no_history',
        message: `OpenTelemetry SLIs count points as they arrive: this one starts when the SLO is saved. Umpire keeps no earlier ${sli.metric} points to preview.`,
      },
    };
  }
  try {
    const row = await findDataSourceRow(sli.datasource);
    const preview = await previewPrometheusSli(prometheusClientFor(row), sli, at);
    return {
      ok: true,
      preview: {
        at: preview.at.toISOString(),
        good: preview.good,
        total: preview.total,
        sliLastHour: preview.sliLastHour,
        sliLastDay: preview.sliLastDay,
        sparkline: preview.sparkline.map((p) => ({ t: p.time.toISOString(), sli: p.sli })),
      },
    };
  } catch (error) {
    if (error instanceof PrometheusError) return { ok: false, error: { kind: error.kind, message: error.message } };
    if (error instanceof NotFoundError) return { ok: false, error: { kind: 'datasource_missing', message: error.message } };
    throw error;
  }
}
