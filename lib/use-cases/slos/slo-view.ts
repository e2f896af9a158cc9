import type { Service as ServiceRow } from '../../db/generated/client';
import type { SloColumns, SloRecord } from '../../db/slos';
import { env } from '../../env';
import type { AlertTier, Slo, SloInput } from '../../schemas';
import { defaultAlertTiers, sloWindowRange } from '../../slo';

/** The tiers in force: the SLO's own, or the default four scaled to its period at `asOf`. */
export function effectiveTiers(slo: Pick<SloRecord, 'customTiers' | 'window'>, asOf: Date): AlertTier[] {
  return slo.customTiers ?? defaultAlertTiers(sloWindowRange(slo.window, asOf).periodMinutes);
}

/** The installation's budget-low share and absent delay (UMPIRE_ALERT_BUDGET_LOW_SHARE, UMPIRE_ALERT_ABSENT_MINUTES). */
export function installationAlertSettings(): { budgetLowShare: number; absentMinutes: number } {
  return { budgetLowShare: env().UMPIRE_ALERT_BUDGET_LOW_SHARE, absentMinutes: env().UMPIRE_ALERT_ABSENT_MINUTES };
}

/** The budget-low share (null: none) and absent delay in force: the SLO's own, else the installation's. */
export function effectiveAlertSettings(slo: Pick<SloRecord, 'alertSettings'>): { budgetLowShare: number | null; absentMinutes: number } {
  const own = slo.alertSettings;
  return {
    budgetLowShare: own.budgetLowShare !== undefined ? own.budgetLowShare : installationAlertSettings().budgetLowShare,
    absentMinutes: own.absentMinutes ?? installationAlertSettings().absentMinutes,
  };
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
    alertPolicy: {
      isDefault: slo.customTiers === null,
      tiers: effectiveTiers(slo, asOf),
      budgetLow: { share: effectiveAlertSettings(slo).budgetLowShare, isDefault: slo.alertSettings.budgetLowShare === undefined },
      absent: { minutes: effectiveAlertSettings(slo).absentMinutes, isDefault: slo.alertSettings.absentMinutes === undefined },
    },
    minEvents: slo.minEvents,
    labels: slo.labels,
    managedBy: slo.managedBy,
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

/** The columns an SLO is stored with, from its input, but for its service and alert policy (stored apart). */
export function sloColumnsOf(input: SloInput): Omit<SloColumns, 'serviceId' | 'alertPolicy'> {
  return {
    slug: input.slug,
    name: input.name,
    description: input.description,
    objective: input.objective,
    window: input.window,
    budgeting: input.budgeting,
    sli: input.sli,
    minEvents: input.minEvents,
    labels: input.labels,
  };
}
