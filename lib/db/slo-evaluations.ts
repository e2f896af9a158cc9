import { db } from './client';
import type { SloEvaluation as EvaluationRow } from './generated/client';
import type { Tx } from './transaction';

/** Marks the whole stored history of a pulled SLO to be read again from its source (an SLO never evaluated has none). */
export async function markSloForReread(tx: Tx, sloId: string): Promise<void> {
  await tx.$executeRaw`
      UPDATE slo_evaluations SET reread_until = fresh_until, updated_at = now()
      WHERE slo_id = ${sloId}::uuid AND fresh_until IS NOT NULL`;
}

/** The SLO's evaluation row; null before its first evaluation. */
export function findEvaluation(sloId: string): Promise<EvaluationRow | null> {
  return db().sloEvaluation.findUnique({ where: { sloId } });
}

/** The newest minute read for the SLO; null before any was. */
export async function findFreshUntil(sloId: string): Promise<Date | null> {
  const row = await db().sloEvaluation.findUnique({ where: { sloId }, select: { freshUntil: true } });
  return row?.freshUntil ?? null;
}
