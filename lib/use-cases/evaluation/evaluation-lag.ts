import { oldestFreshUntilOfPulledSlos } from '../../db/slo-evaluations';
import { pushedKinds } from '../../sources/registry';

/**
 * How far behind `now` the least fresh evaluated SLO is, in seconds: the oldest "fresh until" among SLOs
 * the evaluator reads (SLIs of pushed kinds are not read, so they are left out). Null when there is none.
 */
export async function evaluationLag(now: Date = new Date()): Promise<number | null> {
  const oldest = await oldestFreshUntilOfPulledSlos(pushedKinds);
  if (!oldest) return null;
  return Math.max(0, (now.getTime() - oldest.getTime()) / 1000);
}
