import { listGateChecks, type GateCheckWithOverride } from '../../db/gate-checks';
import { GateReason, type GateEvaluation, type Policy } from '../../schemas/index';
import { findServiceBySlug } from '../../db/services';
import { toOverride } from './gate-overrides';

/** A stored gate answer as the API shows it. */
export function toEvaluation(row: GateCheckWithOverride, service: string): GateEvaluation {
  return {
    id: row.id,
    service,
    version: row.version,
    environment: row.environment,
    commit: row.commit,
    pipelineUrl: row.pipelineUrl,
    verdict: row.verdict as GateEvaluation['verdict'],
    policyVerdict: row.policyVerdict as GateEvaluation['verdict'],
    reasons: GateReason.array().parse(row.reasons),
    slos: row.slos as GateEvaluation['slos'],
    policy: row.policy as Policy,
    override: row.override ? toOverride(row.override, service) : null,
    evaluatedAt: row.evaluatedAt.toISOString(),
    asOf: row.asOf?.toISOString() ?? null,
    dataState: row.dataState as GateEvaluation['dataState'],
  };
}

export async function listGateEvaluations({ service, limit = 50 }: { service: string; limit?: number }): Promise<GateEvaluation[]> {
  const row = await findServiceBySlug(service);
  const rows = await listGateChecks(row.id, limit);
  return rows.map((r) => toEvaluation(r, row.slug));
}
