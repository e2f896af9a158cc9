import { authorize } from '../../auth/authorize';
import type { Actor } from '../../auth/permissions';
import { listServicesWithSlos } from '../../db/services';
import { toSloRecord, type SloRecord } from '../../db/slos';
import { listRouteRows } from '../../db/notification-routes';
import { fromUmpire, type NotifyTarget, type UmpireDefinitions } from '../../openslo/index';
import { targetOf } from '../../catalog/targets';
import type { ServiceInput, SloInput } from '../../schemas/index';
import { toService } from '../services/service-view';

// The catalogue as OpenSLO v1 (docs/openslo.md): exported whole, by team or by service. Plan and apply are in
// lib/use-cases/catalog/apply-catalog.ts.

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
  // Routes of one SLO's burn-rate alerts of one severity to one channel are its OpenSLO notification targets, written
  // on the alert policies of that severity (an SLO on the default tiers has none in OpenSLO: docs/gitops.md).
  const targets = new Map<string, NotifyTarget[]>();
  for (const route of await listRouteRows()) {
    const target = targetOf(route);
    if (!target) continue;
    const key = `${target.service}/${target.slo}`;
    targets.set(key, [
      ...(targets.get(key) ?? []),
      { channel: target.channel, severity: target.severity as NotifyTarget['severity'], kind: route.channel.kind },
    ]);
  }
  const slos = rows.flatMap((row) =>
    [...row.slos].sort(byName).map((slo) => {
      const input = sloInputOf(toSloRecord(slo, row.slug));
      const severities = new Set(input.alertPolicy?.tiers?.map((t) => t.severity) ?? []);
      const own = (targets.get(`${row.slug}/${slo.slug}`) ?? [])
        .filter((t) => severities.has(t.severity))
        .sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : a.severity < b.severity ? -1 : 1));
      return { service: row.slug, input, ...(own.length > 0 ? { targets: own } : {}) };
    }),
  );
  return { services, slos };
}

/** The catalogue (every service, a team's or one service) as OpenSLO v1 YAML. */
export async function exportOpenSlo({ actor, team, service }: { actor: Actor; team?: string; service?: string }): Promise<string> {
  await authorize(actor, 'read');
  const { services, slos } = await catalogue({ team, service });
  return fromUmpire(services, slos);
}
