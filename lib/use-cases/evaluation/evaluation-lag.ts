import { db } from '../../db/client';

/**
 * How far behind `now` the least fresh evaluated SLO is, in seconds: the oldest "fresh until" among SLOs
 * the evaluator reads (OpenTelemetry SLIs are pushed, not read, so they are left out). Null when there is none.
 */
export async function evaluationLag(now: Date = new Date()): Promise<number | null> {
  const [row] = await db().$queryRaw<Array<{ oldest: Date | null }>>`
    SELECT MIN(e.fresh_until) AS oldest
    FROM slo_evaluations e
    JOIN slos s ON s.id = e.slo_id
    WHERE s.sli->>'source' IS DISTINCT FROM 'otel'`;
  if (!row?.oldest) return null;
  return Math.max(0, (now.getTime() - row.oldest.getTime()) / 1000);
}
