import { actorName, authorize, type Actor } from '../../auth/authorize';
import { insertGateCheck } from '../../db/gate-checks';
import { findActiveOverride } from '../../db/gate-overrides';
import type { Service as ServiceRow, GateOverride as GateOverrideRow } from '../../db/generated/client';
import { DEFAULT_POLICY_KEY, findPolicy, listPolicies } from '../../db/policies';
import { listSlosOfService } from '../../db/slos';
import { log } from '../../log';
import type { GateEvaluation, GatePreview, GateRequest, Policy, PolicyInput, SloStatus } from '../../schemas/index';
import { evaluateGate, type GateSlo } from '../../slo/index';
import { currentStatuses } from '../slos/current-status';
import { findServiceBySlug } from '../../db/services';
import { serviceScope } from '../services/service-view';
import { toSloRecord } from '../../db/slos';
import { toEvaluation } from './gate-history';
import { effectivePolicy, toPolicy, withFloor } from './gate-policy';

// The release gate: its verdict on a service now, previewed or asked by a pipeline (and then stored). Policies
// are read and changed in gate-policy.ts, overrides in gate-overrides.ts, stored answers listed in gate-history.ts.

type SeenSlo = GateSlo & { asOf: string };

function gateSlo(status: SloStatus, name: string, labels: Record<string, string>, serviceTier: number): SeenSlo {
  return {
    slo: status.slo,
    name,
    labels,
    serviceTier,
    budgetRemaining: status.errorBudget.remaining,
    firing: status.alerts
      .filter((a) => a.firing)
      .map((a) => ({ severity: a.severity, longWindow: a.longWindow, shortWindow: a.shortWindow, threshold: a.threshold })),
    burnRates: status.burnRates,
    dataState: status.sli === null ? 'missing' : status.evaluation.staleSince !== null ? 'stale' : status.provisional ? 'partial' : 'ok',
    provisional: status.provisionalReason,
    budgetJudged: status.measured.events >= status.minEvents,
    asOf: status.asOf,
  };
}

/**
 * Each SLO of the service as the gate sees it: its state as the evaluator's last pass stored it (as of that minute,
 * which the verdict states), computed now for an SLO without one or whose state lacks a window the policy names.
 */
async function gateSlos(service: ServiceRow, policy: PolicyInput, now: Date): Promise<SeenSlo[]> {
  const records = (await listSlosOfService(service.id)).map((row) => toSloRecord(row, service.slug));
  const windows = [...new Set([...policy.rules, ...((policy as Policy).floor?.rules ?? [])].flatMap((r) => (r.kind === 'burn_rate' ? [r.window] : [])))];
  const statuses = await currentStatuses(records, { now, extraBurnWindows: windows });
  return statuses.map((status, i) => gateSlo(status, records[i]!.name, records[i]!.labels, service.tier));
}

function decide(service: ServiceRow, policy: Policy, slos: SeenSlo[], now: Date): GatePreview {
  const decision = evaluateGate(policy, slos);
  const counted = decision.counted as SeenSlo[];
  // The least recent minute any counted SLO's figures are as of: what the verdict can vouch for.
  const asOf = counted.reduce<string | null>((min, s) => (min === null || s.asOf < min ? s.asOf : min), null);
  return {
    service: service.slug,
    verdict: decision.verdict,
    policyVerdict: decision.verdict,
    reasons: decision.reasons,
    slos: counted.map((s) => ({
      slo: s.slo,
      name: s.name,
      budgetRemaining: s.budgetRemaining,
      firing: s.firing.map((a) => `${a.severity} ${a.longWindow}/${a.shortWindow}`),
      dataState: s.dataState,
      provisional: s.provisional,
      asOf: s.asOf,
    })),
    policy,
    evaluatedAt: now.toISOString(),
    asOf,
    dataState: decision.dataState,
  };
}

/** The gate as it would answer now, with the service's policy or the one given (a preview before saving it). */
export async function previewGate({ service, policy, now = new Date() }: { service: string; policy?: PolicyInput; now?: Date }): Promise<GatePreview> {
  const row = await findServiceBySlug(service);
  return previewFor(row, policy, now);
}

/**
 * A policy being edited, tried against the service's current state. Nothing is stored, but the answer shows the
 * service's SLOs and budgets: it needs the read permission like any GET (route() checks that for GETs only).
 */
export async function previewPolicy({
  actor,
  service,
  policy,
  now = new Date(),
}: {
  actor: Actor;
  service: string;
  policy: PolicyInput;
  now?: Date;
}): Promise<GatePreview> {
  const row = await findServiceBySlug(service);
  await authorize(actor, 'policy.preview', serviceScope(row));
  return previewFor(row, policy, now);
}

async function previewFor(row: ServiceRow, policy: PolicyInput | undefined, now: Date): Promise<GatePreview> {
  const defaultRow = policy ? await findPolicy(DEFAULT_POLICY_KEY) : null;
  const effective: Policy = policy ? withFloor({ ...policy, source: 'service', updatedAt: null }, defaultRow) : await effectivePolicy(row);
  return decide(row, effective, await gateSlos(row, effective, now), now);
}

/** Verdicts for many services at once (the overview), each with its own policy; null where it failed. */
export async function gateVerdicts(
  services: ReadonlyArray<{ row: ServiceRow; statuses: SloStatus[]; names: Map<string, { name: string; labels: Record<string, string> }> }>,
): Promise<Map<string, GatePreview['verdict'] | null>> {
  const policies = await listPolicies([DEFAULT_POLICY_KEY, ...services.map((s) => s.row.id)]);
  const byKey = new Map(policies.map((p) => [p.key, p]));
  const result = new Map<string, GatePreview['verdict'] | null>();
  for (const { row, statuses, names } of services) {
    try {
      const own = byKey.get(row.id);
      const policy = own
        ? withFloor(toPolicy(own, 'service'), byKey.get(DEFAULT_POLICY_KEY) ?? null)
        : toPolicy(byKey.get(DEFAULT_POLICY_KEY) ?? null, 'default');
      // The overview's statuses carry the tier windows and 1h only; other burn_rate windows need the full gate.
      const needs = [...policy.rules, ...(policy.floor?.rules ?? [])].some((r) => r.kind === 'burn_rate' && statuses.some((s) => !(r.window in s.burnRates)));
      if (needs) {
        result.set(row.slug, null);
        continue;
      }
      const slos = statuses.map((s) => gateSlo(s, names.get(s.slo)?.name ?? s.slo, names.get(s.slo)?.labels ?? {}, row.tier));
      result.set(row.slug, evaluateGate(policy, slos).verdict);
    } catch (error) {
      log.warn('gate.overview_failed', { service: row.slug, error });
      result.set(row.slug, null);
    }
  }
  return result;
}

/**
 * A pipeline asks whether `version` may be released: the policy's verdict on the current state, let through by an
 * unexpired override for this version (and environment) when there is one. Every answer is stored.
 */
export async function evaluateReleaseGate({
  actor,
  service,
  request,
  now = new Date(),
}: {
  actor: Actor;
  service: string;
  request: GateRequest;
  now?: Date;
}): Promise<GateEvaluation> {
  const row = await findServiceBySlug(service);
  await authorize(actor, 'gate.evaluate', serviceScope(row));
  const policy = await effectivePolicy(row);
  const preview = decide(row, policy, await gateSlos(row, policy, now), now);
  let override: GateOverrideRow | null = null;
  if (preview.policyVerdict !== 'pass') {
    override = await findActiveOverride(row.id, request.version, request.environment, now);
  }
  const saved = await insertGateCheck({
    serviceId: row.id,
    version: request.version,
    environment: request.environment,
    commit: request.commit ?? null,
    pipelineUrl: request.pipelineUrl ?? null,
    verdict: override ? 'pass' : preview.verdict,
    policyVerdict: preview.policyVerdict,
    reasons: preview.reasons,
    slos: preview.slos,
    policy: preview.policy,
    dataState: preview.dataState,
    asOf: preview.asOf ? new Date(preview.asOf) : null,
    overrideId: override?.id ?? null,
    evaluatedAt: now,
  });
  log.info('gate.evaluated', {
    service,
    version: request.version,
    environment: request.environment,
    verdict: saved.verdict,
    policyVerdict: saved.policyVerdict,
    reasons: preview.reasons.length,
    override: override?.id ?? null,
    by: actorName(actor),
  });
  return toEvaluation(saved, row.slug);
}
