import { actorName, authorize, type Actor } from '../../auth/authorize';
import { db, Prisma } from '../../db/client';
import type { Service as ServiceRow, GateCheck as GateCheckRow, GateOverride as GateOverrideRow } from '../../db/generated/client';
import { UnprocessableError } from '../../errors';
import { log } from '../../log';
import {
  BUILTIN_POLICY,
  GateReason,
  PolicyInput,
  type GateEvaluation,
  type GateOverrideInput,
  type GateOverrideView,
  type GatePreview,
  type GateRequest,
  type Policy,
  type PolicyFloor,
  type SloStatus,
} from '../../schemas/index';
import { evaluateGate, stricterMissingData, type GateSlo } from '../../slo/index';
import { computeSloStatus } from '../slos/get-slo-status';
import { audited, type AuditEntry } from '../audit/audit';
import { findServiceBySlug as findServiceRow } from '../../db/services';
import { serviceScope } from '../services/service-view';
import { toSloRecord } from '../../db/slos';

const HOUR_MS = 3_600_000;
const DEFAULT_KEY = 'default';

// ---- policies --------------------------------------------------------------------------------------------------

function toPolicy(row: { policy: unknown; updatedAt: Date } | null, source: Policy['source']): Policy {
  if (!row) return { ...BUILTIN_POLICY, source: 'builtin', updatedAt: null };
  // Parsed with the schema that admitted it: a corrupt row fails loudly rather than gating on half a policy.
  return { ...PolicyInput.parse(row.policy), source, updatedAt: row.updatedAt.toISOString() };
}

/** The organisation default, or the built-in policy when none is set. */
export async function getDefaultPolicy(): Promise<Policy> {
  return toPolicy(await db().errorBudgetPolicy.findUnique({ where: { key: DEFAULT_KEY } }), 'default');
}

/**
 * What the organisation's default policy imposes on services with their own: its mandatory rules (for the SLOs its
 * selector counts) and, when it says so, its onMissingData as the most lenient allowed. null when it imposes nothing.
 */
function floorOf(defaultPolicy: PolicyInput | null): PolicyFloor | null {
  if (!defaultPolicy) return null;
  const rules = defaultPolicy.rules.filter((rule) => rule.mandatory === true).map(({ mandatory: _, ...rule }) => rule);
  const onMissingData = defaultPolicy.missingDataMandatory ? defaultPolicy.onMissingData : null;
  return rules.length > 0 || onMissingData !== null ? { slos: defaultPolicy.slos, rules, onMissingData } : null;
}

/** A service's own policy with the organisation's floor, or the default (which holds its own mandatory rules). */
function withFloor(own: Policy, defaultRow: { policy: unknown } | null): Policy {
  const floor = floorOf(defaultRow ? PolicyInput.parse(defaultRow.policy) : null);
  return floor ? { ...own, floor } : own;
}

/** The policy that gates a service: its own (with the organisation's floor), else the organisation default, else the built-in one. */
async function effectivePolicy(service: ServiceRow): Promise<Policy> {
  const rows = await db().errorBudgetPolicy.findMany({ where: { key: { in: [service.id, DEFAULT_KEY] } } });
  const own = rows.find((r) => r.key === service.id);
  const defaultRow = rows.find((r) => r.key === DEFAULT_KEY) ?? null;
  if (own) return withFloor(toPolicy(own, 'service'), defaultRow);
  return toPolicy(defaultRow, 'default');
}

/**
 * A service policy may not make rules mandatory (the organisation's default does) nor treat missing data more
 * leniently than the organisation's floor: refused with the field, before anything is written.
 */
function checkAgainstFloor(input: PolicyInput, floor: PolicyFloor | null): void {
  const fields: Record<string, string> = {};
  input.rules.forEach((rule, i) => {
    if (rule.mandatory) fields[`rules.${i}.mandatory`] = 'can be set only in the organisation’s default policy';
  });
  if (input.missingDataMandatory) fields.missingDataMandatory = 'can be set only in the organisation’s default policy';
  if (floor?.onMissingData && stricterMissingData(input.onMissingData, floor.onMissingData) !== input.onMissingData) {
    fields.onMissingData = `must be at least as strict as the organisation’s floor (${floor.onMissingData}): missing data may not ${input.onMissingData === 'pass' ? 'pass' : 'only warn'}`;
  }
  if (Object.keys(fields).length > 0) throw new UnprocessableError('The policy would loosen what the organisation requires of every service', fields);
}

export async function getServicePolicy({ service }: { service: string }): Promise<Policy> {
  return effectivePolicy(await findServiceRow(service));
}

function policyTarget(service: ServiceRow | null): AuditEntry['target'] {
  return service ? { type: 'policy', id: service.id, name: `${service.slug} (policy)`, serviceId: service.id } : { type: 'policy', id: DEFAULT_KEY, name: 'default policy' };
}

/** A policy as the trail keeps it: what was in force, not where it came from. */
function policyState(row: { policy: unknown; updatedAt: Date } | null): unknown {
  return row ? PolicyInput.parse(row.policy) : null;
}

export async function putDefaultPolicy({ actor, input }: { actor: Actor; input: PolicyInput }): Promise<Policy> {
  await authorize(actor, 'policy.update', { policy: 'default' });
  const row = await audited(actor, async (tx) => {
    const before = await tx.errorBudgetPolicy.findUnique({ where: { key: DEFAULT_KEY } });
    const saved = await tx.errorBudgetPolicy.upsert({ where: { key: DEFAULT_KEY }, create: { key: DEFAULT_KEY, policy: input }, update: { policy: input } });
    return { result: saved, audit: { action: 'policy.update', target: policyTarget(null), before: policyState(before), after: input } };
  });
  log.info('policy.default_updated', { rules: input.rules.length, onMissingData: input.onMissingData, by: actorName(actor) });
  return toPolicy(row, 'default');
}

export async function deleteDefaultPolicy({ actor }: { actor: Actor }): Promise<void> {
  await authorize(actor, 'policy.update', { policy: 'default' });
  await audited(actor, async (tx) => {
    const before = await tx.errorBudgetPolicy.findUnique({ where: { key: DEFAULT_KEY } });
    await tx.errorBudgetPolicy.deleteMany({ where: { key: DEFAULT_KEY } });
    return { result: null, audit: before ? { action: 'policy.delete', target: policyTarget(null), before: policyState(before), after: null, details: { now: 'the built-in policy' } } : null };
  });
  log.info('policy.default_reset', { by: actorName(actor) });
}

export async function putServicePolicy({ actor, service, input }: { actor: Actor; service: string; input: PolicyInput }): Promise<Policy> {
  const row = await findServiceRow(service);
  await authorize(actor, 'policy.update', serviceScope(row));
  const defaultRow = await db().errorBudgetPolicy.findUnique({ where: { key: DEFAULT_KEY } });
  checkAgainstFloor(input, floorOf(defaultRow ? PolicyInput.parse(defaultRow.policy) : null));
  const saved = await audited(actor, async (tx) => {
    const before = await tx.errorBudgetPolicy.findUnique({ where: { key: row.id } });
    const upserted = await tx.errorBudgetPolicy.upsert({
      where: { key: row.id },
      create: { key: row.id, serviceId: row.id, policy: input },
      update: { policy: input },
    });
    return { result: upserted, audit: { action: 'policy.update', target: policyTarget(row), before: policyState(before), after: input } };
  });
  log.info('policy.updated', { service, rules: input.rules.length, onMissingData: input.onMissingData, by: actorName(actor) });
  return withFloor(toPolicy(saved, 'service'), defaultRow);
}

/** The service goes back to the organisation default. */
export async function deleteServicePolicy({ actor, service }: { actor: Actor; service: string }): Promise<void> {
  const row = await findServiceRow(service);
  await authorize(actor, 'policy.update', serviceScope(row));
  await audited(actor, async (tx) => {
    const before = await tx.errorBudgetPolicy.findUnique({ where: { key: row.id } });
    await tx.errorBudgetPolicy.deleteMany({ where: { key: row.id } });
    return { result: null, audit: before ? { action: 'policy.delete', target: policyTarget(row), before: policyState(before), after: null, details: { now: 'the organisation default' } } : null };
  });
  log.info('policy.deleted', { service, by: actorName(actor) });
}

// ---- the gate --------------------------------------------------------------------------------------------------

type SeenSlo = GateSlo & { asOf: string };

function gateSlo(status: SloStatus, name: string, labels: Record<string, string>, serviceTier: number): SeenSlo {
  return {
    slo: status.slo,
    name,
    labels,
    serviceTier,
    budgetRemaining: status.errorBudget.remaining,
    firing: status.alerts.filter((a) => a.firing).map((a) => ({ severity: a.severity, longWindow: a.longWindow, shortWindow: a.shortWindow, threshold: a.threshold })),
    burnRates: status.burnRates,
    dataState: status.sli === null ? 'missing' : status.evaluation.staleSince !== null ? 'stale' : status.provisional ? 'partial' : 'ok',
    provisional: status.provisionalReason,
    budgetJudged: status.measured.events >= status.minEvents,
    asOf: status.asOf,
  };
}

/** Each SLO of the service as the gate sees it: the same figures its page shows, as of `now`. */
async function gateSlos(service: ServiceRow, policy: PolicyInput, now: Date): Promise<SeenSlo[]> {
  const rows = await db().slo.findMany({ where: { serviceId: service.id }, orderBy: { slug: 'asc' } });
  const windows = [...new Set([...policy.rules, ...((policy as Policy).floor?.rules ?? [])].flatMap((r) => (r.kind === 'burn_rate' ? [r.window] : [])))];
  return Promise.all(
    rows.map(async (row) => {
      const record = toSloRecord(row, service.slug);
      return gateSlo(await computeSloStatus(record, { now, extraBurnWindows: windows }), record.name, record.labels, service.tier);
    }),
  );
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
  const row = await findServiceRow(service);
  return previewFor(row, policy, now);
}

/**
 * A policy being edited, tried against the service's current state. Nothing is stored, but the answer shows the
 * service's SLOs and budgets: it needs the read permission like any GET (route() checks that for GETs only).
 */
export async function previewPolicy({ actor, service, policy, now = new Date() }: { actor: Actor; service: string; policy: PolicyInput; now?: Date }): Promise<GatePreview> {
  const row = await findServiceRow(service);
  await authorize(actor, 'policy.preview', serviceScope(row));
  return previewFor(row, policy, now);
}

async function previewFor(row: ServiceRow, policy: PolicyInput | undefined, now: Date): Promise<GatePreview> {
  const defaultRow = policy ? await db().errorBudgetPolicy.findUnique({ where: { key: DEFAULT_KEY } }) : null;
  const effective: Policy = policy ? withFloor({ ...policy, source: 'service', updatedAt: null }, defaultRow) : await effectivePolicy(row);
  return decide(row, effective, await gateSlos(row, effective, now), now);
}

/** Verdicts for many services at once (the overview), each with its own policy; null where it failed. */
export async function gateVerdicts(services: ReadonlyArray<{ row: ServiceRow; statuses: SloStatus[]; names: Map<string, { name: string; labels: Record<string, string> }> }>): Promise<Map<string, GatePreview['verdict'] | null>> {
  const policies = await db().errorBudgetPolicy.findMany({ where: { key: { in: [DEFAULT_KEY, ...services.map((s) => s.row.id)] } } });
  const byKey = new Map(policies.map((p) => [p.key, p]));
  const result = new Map<string, GatePreview['verdict'] | null>();
  for (const { row, statuses, names } of services) {
    try {
      const own = byKey.get(row.id);
      const policy = own ? withFloor(toPolicy(own, 'service'), byKey.get(DEFAULT_KEY) ?? null) : toPolicy(byKey.get(DEFAULT_KEY) ?? null, 'default');
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

function toOverride(row: GateOverrideRow, service: string): GateOverrideView {
  return {
    id: row.id,
    service,
    version: row.version,
    environment: row.environment,
    reason: row.reason,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

function toEvaluation(row: GateCheckRow & { override: GateOverrideRow | null }, service: string): GateEvaluation {
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

/**
 * A pipeline asks whether `version` may be released: the policy's verdict on the current state, let through by an
 * unexpired override for this version (and environment) when there is one. Every answer is stored.
 */
export async function evaluateReleaseGate({ actor, service, request, now = new Date() }: { actor: Actor; service: string; request: GateRequest; now?: Date }): Promise<GateEvaluation> {
  const row = await findServiceRow(service);
  await authorize(actor, 'gate.evaluate', serviceScope(row));
  const policy = await effectivePolicy(row);
  const preview = decide(row, policy, await gateSlos(row, policy, now), now);
  let override: GateOverrideRow | null = null;
  if (preview.policyVerdict !== 'pass') {
    override = await db().gateOverride.findFirst({
      where: {
        serviceId: row.id,
        version: request.version,
        OR: [{ environment: null }, { environment: request.environment }],
        expiresAt: { gt: now },
      },
      orderBy: { createdAt: 'desc' },
    });
  }
  const saved = await db().gateCheck.create({
    data: {
      serviceId: row.id,
      version: request.version,
      environment: request.environment,
      commit: request.commit ?? null,
      pipelineUrl: request.pipelineUrl ?? null,
      verdict: override ? 'pass' : preview.verdict,
      policyVerdict: preview.policyVerdict,
      reasons: preview.reasons as unknown as Prisma.InputJsonValue,
      slos: preview.slos as unknown as Prisma.InputJsonValue,
      policy: preview.policy as unknown as Prisma.InputJsonValue,
      dataState: preview.dataState,
      asOf: preview.asOf ? new Date(preview.asOf) : null,
      overrideId: override?.id ?? null,
      evaluatedAt: now,
    },
    include: { override: true },
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

export async function listGateEvaluations({ service, limit = 50 }: { service: string; limit?: number }): Promise<GateEvaluation[]> {
  const row = await findServiceRow(service);
  const rows = await db().gateCheck.findMany({ where: { serviceId: row.id }, orderBy: { evaluatedAt: 'desc' }, take: limit, include: { override: true } });
  return rows.map((r) => toEvaluation(r, row.slug));
}

/** Lets one version through a failing gate, for a while, with the reason on record and who let it through. */
export async function createGateOverride({ actor, service, input, now = new Date() }: { actor: Actor; service: string; input: GateOverrideInput; now?: Date }): Promise<GateOverrideView> {
  const row = await findServiceRow(service);
  await authorize(actor, 'gate.override', serviceScope(row));
  const override = await audited(actor, async (tx) => {
    const saved = await tx.gateOverride.create({
      data: {
        serviceId: row.id,
        version: input.version,
        environment: input.environment ?? null,
        reason: input.reason,
        createdBy: actorName(actor),
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.expiresInHours * HOUR_MS),
      },
    });
    const view = toOverride(saved, row.slug);
    return { result: view, audit: { action: 'override.create', target: { type: 'override', id: saved.id, name: `${row.slug}@${saved.version}`, serviceId: row.id }, before: null, after: view } };
  });
  log.info('gate.override_created', { service, version: input.version, environment: input.environment ?? null, expiresInHours: input.expiresInHours, by: override.createdBy });
  return override;
}

export async function listGateOverrides({ service }: { service: string }): Promise<GateOverrideView[]> {
  const row = await findServiceRow(service);
  const rows = await db().gateOverride.findMany({ where: { serviceId: row.id }, orderBy: { createdAt: 'desc' }, take: 100 });
  return rows.map((r) => toOverride(r, row.slug));
}
