import type { DemoSli } from '../../schemas';
import { sliOf } from '../../slo/index';
import type { SourceKind } from '../types';
import { demoSource } from './demo-source';
import { generateDemoBuckets } from './generator';

const HOUR_MS = 3_600_000;

function sum(buckets: Array<{ good: number; total: number }>) {
  return buckets.reduce((acc, b) => ({ good: acc.good + b.good, total: acc.total + b.total }), { good: 0, total: 0 });
}

/** Synthetic traffic with incidents, computed (never fetched): nothing to validate beyond the schema, nothing to fail. */
export const demoKind: SourceKind<DemoSli> = {
  kind: 'demo',
  describe: { label: 'Demo', help: 'Synthetic traffic with incidents, labelled “Demo data” everywhere.' },
  pushed: false,
  async validate() {},
  evaluate: () => demoSource,
  backfill() {},
  async preview(sli, at) {
    const day = generateDemoBuckets(sli, new Date(at.getTime() - 24 * HOUR_MS), at);
    const hour = sum(day.slice(-60));
    const sparkline = Array.from({ length: 24 }, (_, i) => {
      const counts = sum(day.slice(i * 60, i * 60 + 60));
      return { t: new Date(at.getTime() - (23 - i) * HOUR_MS).toISOString(), sli: sliOf(counts) };
    });
    return {
      ok: true,
      preview: { at: at.toISOString(), good: hour.good, total: hour.total, sliLastHour: sliOf(hour), sliLastDay: sliOf(sum(day)), sparkline },
    };
  },
};
