import { actorName, authorize, type Actor } from '../../auth/authorize';
import type { Service as ServiceRow } from '../../db/generated/client';
import { DEFAULT_POLICY_KEY, deletePolicy, findPolicy, listPolicies, upsertPolicy } from '../../db/policies';
import { UnprocessableError } from '../../errors';
import { log } from '../../log';
import { BUILTIN_POLICY, PolicyInput, type Policy, type PolicyFloor } from '../../schemas/index';
import { stricterMissingData } from '../../slo/index';
import { audited, type AuditEntry } from '../audit/audit';
import { findServiceBySlug } from '../../db/services';
import { serviceScope } from '../services/service-view';

// Error budget policies: the organisation default and each service's own, read and changed. The gate
// (release-gate.ts) judges with the policy in force.

/** A stored policy as the API shows it; the built-in one when none is stored. */
export function toPolicy(row: { policy: unknown; updatedAt: Date } | null, source: Policy['source']): Policy {
  if (!row) return { ...BUILTIN_POLICY, source: 'builtin', updatedAt: null };
  // Parsed with the schema that admitted it: a corrupt row fails loudly rather than gating on half a policy.
  return { ...PolicyInput.parse(row.policy), source, updatedAt: row.updatedAt.toISOString() };
}

/** The organisation default, or the built-in policy when none is set. */
export async function getDefaultPolicy(): Promise<Policy> {
  return toPolicy(await findPolicy(DEFAULT_POLICY_KEY), 'default');
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
export function withFloor(own: Policy, defaultRow: { policy: unknown } | null): Policy {
  const floor = floorOf(defaultRow ? PolicyInput.parse(defaultRow.policy) : null);
  return floor ? { ...own, floor } : own;
}

/** The policy that gates a service: its own (with the organisation's floor), else the organisation default, else the built-in one. */
export async function effectivePolicy(service: ServiceRow): Promise<Policy> {
  const rows = await listPolicies([service.id, DEFAULT_POLICY_KEY]);
  const own = rows.find((r) => r.key === service.id);
  const defaultRow = rows.find((r) => r.key === DEFAULT_POLICY_KEY) ?? null;
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
  return effectivePolicy(await findServiceBySlug(service));
}

function policyTarget(service: ServiceRow | null): AuditEntry['target'] {
  return service
    ? { type: 'policy', id: service.id, name: `${service.slug} (policy)`, serviceId: service.id }
    : { type: 'policy', id: DEFAULT_POLICY_KEY, name: 'default policy' };
}

/** A policy as the trail keeps it: what was in force, not where it came from. */
function policyState(row: { policy: unknown; updatedAt: Date } | null): unknown {
  return row ? PolicyInput.parse(row.policy) : null;
}

export async function putDefaultPolicy({ actor, input }: { actor: Actor; input: PolicyInput }): Promise<Policy> {
  await authorize(actor, 'policy.update', { policy: 'default' });
  const row = await audited(actor, async (tx) => {
    const before = await findPolicy(DEFAULT_POLICY_KEY, tx);
    const saved = await upsertPolicy(tx, { key: DEFAULT_POLICY_KEY, policy: input });
    return { result: saved, audit: { action: 'policy.update', target: policyTarget(null), before: policyState(before), after: input } };
  });
  log.info('policy.default_updated', { rules: input.rules.length, onMissingData: input.onMissingData, by: actorName(actor) });
  return toPolicy(row, 'default');
}

export async function deleteDefaultPolicy({ actor }: { actor: Actor }): Promise<void> {
  await authorize(actor, 'policy.update', { policy: 'default' });
  await audited(actor, async (tx) => {
    const before = await findPolicy(DEFAULT_POLICY_KEY, tx);
    await deletePolicy(tx, DEFAULT_POLICY_KEY);
    return {
      result: null,
      audit: before
        ? { action: 'policy.delete', target: policyTarget(null), before: policyState(before), after: null, details: { now: 'the built-in policy' } }
        : null,
    };
  });
  log.info('policy.default_reset', { by: actorName(actor) });
}

export async function putServicePolicy({ actor, service, input }: { actor: Actor; service: string; input: PolicyInput }): Promise<Policy> {
  const row = await findServiceBySlug(service);
  await authorize(actor, 'policy.update', serviceScope(row));
  const defaultRow = await findPolicy(DEFAULT_POLICY_KEY);
  checkAgainstFloor(input, floorOf(defaultRow ? PolicyInput.parse(defaultRow.policy) : null));
  const saved = await audited(actor, async (tx) => {
    const before = await findPolicy(row.id, tx);
    const upserted = await upsertPolicy(tx, { key: row.id, serviceId: row.id, policy: input });
    return { result: upserted, audit: { action: 'policy.update', target: policyTarget(row), before: policyState(before), after: input } };
  });
  log.info('policy.updated', { service, rules: input.rules.length, onMissingData: input.onMissingData, by: actorName(actor) });
  return withFloor(toPolicy(saved, 'service'), defaultRow);
}

/** The service goes back to the organisation default. */
export async function deleteServicePolicy({ actor, service }: { actor: Actor; service: string }): Promise<void> {
  const row = await findServiceBySlug(service);
  await authorize(actor, 'policy.update', serviceScope(row));
  await audited(actor, async (tx) => {
    const before = await findPolicy(row.id, tx);
    await deletePolicy(tx, row.id);
    return {
      result: null,
      audit: before
        ? { action: 'policy.delete', target: policyTarget(row), before: policyState(before), after: null, details: { now: 'the organisation default' } }
        : null,
    };
  });
  log.info('policy.deleted', { service, by: actorName(actor) });
}
