import { db } from '../db/client';
import { log } from '../log';
import { toSloRecord } from './records';
import { syncSloBuckets } from './sync-slo-buckets';

export interface EvaluationRun {
  slos: number;
  written: number;
  failed: Array<{ service: string; slo: string; error: string }>;
}

/** One evaluator pass: brings every SLO's buckets up to the last whole minute. One failing SLO never stops the rest. */
export async function evaluateAll(now = new Date()): Promise<EvaluationRun> {
  const rows = await db().slo.findMany({ include: { service: { select: { slug: true } } } });
  const run: EvaluationRun = { slos: rows.length, written: 0, failed: [] };
  for (const row of rows) {
    try {
      const record = toSloRecord(row, row.service.slug);
      run.written += (await syncSloBuckets(record, now)).written;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      run.failed.push({ service: row.service.slug, slo: row.slug, error: message });
      log.warn('evaluator.slo_failed', { service: row.service.slug, slo: row.slug, error: message });
    }
  }
  return run;
}
