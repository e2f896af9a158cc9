import type { Service as ServiceRow } from '../../db/generated/client';
import type { SloRecord } from '../../db/slos';
import type { AlertTier, Slo } from '../../schemas';
import { defaultAlertTiers, sloWindowRange } from '../../slo';

/** The tiers in force: the SLO's own, or the default four scaled to its period at `asOf`. */
export function effectiveTiers(slo: Pick<SloRecord, 'customTiers' | 'window'>, asOf: Date): AlertTier[] {
  return slo.customTiers ?? defaultAlertTiers(sloWindowRange(slo.window, asOf).periodMinutes);
}

/** An SLO as the API returns it, with the tiers in force at `asOf`. */
export function toSlo(slo: SloRecord, asOf = new Date()): Slo {
  return {
    service: slo.serviceSlug,
    slug: slo.slug,
    name: slo.name,
    description: slo.description,
    objective: slo.objective,
    window: slo.window,
    budgeting: slo.budgeting,
    sli: slo.sli,
    alertPolicy: { isDefault: slo.customTiers === null, tiers: effectiveTiers(slo, asOf) },
    minEvents: slo.minEvents,
    labels: slo.labels,
    createdAt: slo.createdAt.toISOString(),
    updatedAt: slo.updatedAt.toISOString(),
  };
}

/** How the audit trail names an SLO. */
export function sloTarget(
  service: Pick<ServiceRow, 'id' | 'slug'>,
  slo: { id: string; slug: string },
): { type: 'slo'; id: string; name: string; serviceId: string } {
  return { type: 'slo', id: slo.id, name: `${service.slug}/${slo.slug}`, serviceId: service.id };
}
