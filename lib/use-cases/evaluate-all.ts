import { db } from '../db/client';
import { log } from '../log';
import { evaluateSlo, type EvaluateOptions } from './evaluate-slo';
import { toSloRecord } from './records';

export interface EvaluationRun {
  slos: number;
  evaluated: number;
  skipped: number;
  written: number;
  failed: Array<{ service: string; slo: string; kind: string; error: string }>;
  ms: number;
}

/** SLOs evaluated at once: a slow backend delays only its own SLOs' slots, not the whole pass. */
const CONCURRENCY = 8;

/**
 * One evaluator pass over every SLO (or the given ones): each under its own lease, so several processes
 * share the work instead of repeating it; one failing SLO never stops or blanks the rest.
 */
export async function evaluateAll(options: EvaluateOptions & { sloIds?: string[] } = {}): Promise<EvaluationRun> {
  const started = performance.now();
  const rows = await db().slo.findMany({
    where: options.sloIds ? { id: { in: options.sloIds } } : undefined,
    include: { service: { select: { slug: true } } },
    orderBy: { id: 'asc' },
  });
  const run: EvaluationRun = { slos: rows.length, evaluated: 0, skipped: 0, written: 0, failed: [], ms: 0 };
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      try {
        const outcome = await evaluateSlo(toSloRecord(row, row.service.slug), options);
        if (outcome.status === 'skipped') run.skipped++;
        else if (outcome.status === 'failed') run.failed.push({ service: row.service.slug, slo: row.slug, kind: outcome.kind, error: outcome.message });
        else {
          run.evaluated++;
          run.written += outcome.written;
        }
      } catch (error) {
        // Not a source fault (those are recorded on the SLO): the database or a corrupt row. Logged, and the pass goes on.
        const message = error instanceof Error ? error.message : String(error);
        run.failed.push({ service: row.service.slug, slo: row.slug, kind: 'internal', error: message });
        log.error('evaluator.slo_error', { service: row.service.slug, slo: row.slug, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, worker));
  run.ms = Math.round(performance.now() - started);
  return run;
}
