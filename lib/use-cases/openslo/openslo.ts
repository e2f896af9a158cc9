import { authorize } from '../../auth/authorize';
import type { Actor } from '../../auth/permissions';
import { listServicesWithSlos } from '../../db/services';
import { toSloRecord, type SloRecord } from '../../db/slos';
import { fromUmpire, importOpenSlo, type UmpireDefinitions } from '../../openslo/index';
import type { ServiceInput, SloInput } from '../../schemas/index';
import { toService } from '../services/service-view';

// The catalogue as OpenSLO v1 (docs/openslo.md): exported whole, by team or by service, and a file's plan against
// the catalogue as it is (what applying it would create or change, field by field). Applying is not built yet.

/** An SLO as the input that would create it again: what OpenSLO export and import compare. */
export function sloInputOf(slo: SloRecord): SloInput {
  const own = slo.alertSettings;
  const policy = {
    ...(slo.customTiers ? { tiers: slo.customTiers } : {}),
    ...(own.budgetLowShare !== undefined ? { budgetLowShare: own.budgetLowShare } : {}),
    ...(own.absentMinutes !== undefined ? { absentMinutes: own.absentMinutes } : {}),
  };
  return {
    slug: slo.slug,
    name: slo.name,
    description: slo.description,
    objective: slo.objective,
    window: slo.window,
    budgeting: slo.budgeting,
    sli: slo.sli,
    alertPolicy: Object.keys(policy).length > 0 ? policy : null,
    minEvents: slo.minEvents,
    labels: slo.labels,
  };
}

async function catalogue(filter: { team?: string; service?: string }): Promise<UmpireDefinitions> {
  const rows = (await listServicesWithSlos(filter.team ? { team: filter.team } : {})).filter((r) => !filter.service || r.slug === filter.service);
  const byName = (a: { slug: string }, b: { slug: string }) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
  rows.sort(byName);
  const services: ServiceInput[] = rows.map((row) => {
    const { slug, name, ownerTeam, tier, description, links } = toService(row);
    return { slug, name, ownerTeam, tier, description, links };
  });
  const slos = rows.flatMap((row) => [...row.slos].sort(byName).map((slo) => ({ service: row.slug, input: sloInputOf(toSloRecord(slo, row.slug)) })));
  return { services, slos };
}

/** The catalogue (every service, a team's or one service) as OpenSLO v1 YAML. */
export async function exportOpenSlo({ actor, team, service }: { actor: Actor; team?: string; service?: string }): Promise<string> {
  await authorize(actor, 'read');
  const { services, slos } = await catalogue({ team, service });
  return fromUmpire(services, slos);
}

export interface PlanStep {
  kind: 'service' | 'slo';
  /** The service's slug, or service/slo. */
  name: string;
  action: 'create' | 'change' | 'unchanged';
  /** The fields that differ (change only). */
  fields: string[];
}

export type OpenSloPlan = { ok: true; steps: PlanStep[] } | { ok: false; errors: string[] };

function changedFields(current: Record<string, unknown>, wanted: Record<string, unknown>): string[] {
  return Object.keys(wanted)
    .filter((key) => JSON.stringify(canonical(current[key])) !== JSON.stringify(canonical(wanted[key])))
    .sort();
}

/** A value with its object keys in order and undefined members dropped, so equal definitions compare equal. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/**
 * What applying the files would do to the catalogue: each service and SLO they define, created, changed (with the
 * fields that differ) or unchanged. Nothing is written; a file Umpire refuses gives every message instead.
 */
export async function planOpenSlo({ actor, files }: { actor: Actor; files: Array<{ name: string; text: string }> }): Promise<OpenSloPlan> {
  await authorize(actor, 'read');
  const imported = importOpenSlo(files);
  if (!imported.ok) return imported;
  const current = await catalogue({});
  const services = new Map(current.services.map((s) => [s.slug, s]));
  const slos = new Map(current.slos.map((s) => [`${s.service}/${s.input.slug}`, s.input]));
  const steps: PlanStep[] = [];
  for (const wanted of imported.value.services) {
    const existing = services.get(wanted.slug);
    const fields = existing ? changedFields(existing, wanted) : [];
    steps.push({ kind: 'service', name: wanted.slug, action: !existing ? 'create' : fields.length > 0 ? 'change' : 'unchanged', fields });
  }
  for (const { service, input } of imported.value.slos) {
    const name = `${service}/${input.slug}`;
    const existing = slos.get(name);
    const fields = existing ? changedFields(existing, input) : [];
    steps.push({ kind: 'slo', name, action: !existing ? 'create' : fields.length > 0 ? 'change' : 'unchanged', fields });
  }
  return { ok: true, steps };
}
