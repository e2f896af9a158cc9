import type { Service as ServiceRow } from '../../db/generated/client';
import { findServiceBySlug, listServicesWithSlos } from '../../db/services';
import { findSloRecord, listSlosOfService, toSloRecord, type SloRecord } from '../../db/slos';
import { neverFiringTiers, renderRules, type RulesBundle } from '../../rules/render';
import { sloRules } from '../../rules/slo-rules';
import type { RulesFormat } from '../../schemas';
import { sloUrl } from '../alerts/alert-message';
import { effectiveTiers } from './slo-view';

/**
 * Prometheus rules, a PrometheusRule or their promtool tests for one SLO, a service's SLOs or every SLO
 * (docs/prometheus-rules.md). The tiers are those in force now: a calendar SLO's default thresholds follow its
 * current period, so its rules are regenerated when a period of another length begins.
 */
export interface GeneratedRules {
  yaml: string;
  /** `service/slo/alert` of the tiers no error ratio can fire (threshold x budget of 1 or more). */
  neverFiring: string[];
  skipped: RulesBundle['skipped'];
}

function bundleOf(entries: Array<{ service: Pick<ServiceRow, 'slug' | 'ownerTeam' | 'runbookUrl'>; slo: SloRecord }>, asOf: Date): RulesBundle {
  const bundle: RulesBundle = { generated: [], skipped: [] };
  for (const { service, slo } of entries) {
    const result = sloRules({
      service: { slug: service.slug, ownerTeam: service.ownerTeam, runbookUrl: service.runbookUrl },
      slo: { ...slo, tiers: effectiveTiers(slo, asOf) },
      dashboardUrl: sloUrl(service.slug, slo.slug),
    });
    if (!result.ok) bundle.skipped.push(result.skipped);
    else if (slo.sli.source === 'prometheus') bundle.generated.push({ rules: result.rules, sli: slo.sli, minEvents: slo.minEvents });
  }
  return bundle;
}

function generated(bundle: RulesBundle, format: RulesFormat, name: string): GeneratedRules {
  return {
    yaml: renderRules(bundle, format, name),
    neverFiring: neverFiringTiers(bundle).map((t) => `${t.service}/${t.slo}/${t.alert}`),
    skipped: bundle.skipped,
  };
}

export async function sloPrometheusRules({ service, slo, format }: { service: string; slo: string; format: RulesFormat }): Promise<GeneratedRules> {
  const serviceRow = await findServiceBySlug(service);
  const record = await findSloRecord(service, slo);
  return generated(bundleOf([{ service: serviceRow, slo: record }], new Date()), format, `umpire-${serviceRow.slug}-${record.slug}`);
}

export async function servicePrometheusRules({ service, format }: { service: string; format: RulesFormat }): Promise<GeneratedRules> {
  const serviceRow = await findServiceBySlug(service);
  const slos = (await listSlosOfService(serviceRow.id)).map((row) => ({ service: serviceRow, slo: toSloRecord(row, serviceRow.slug) }));
  return generated(bundleOf(slos, new Date()), format, `umpire-${serviceRow.slug}`);
}

export async function allPrometheusRules({ format }: { format: RulesFormat }): Promise<GeneratedRules> {
  const services = await listServicesWithSlos({});
  const entries = services
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    .flatMap((service) =>
      [...service.slos].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)).map((row) => ({ service, slo: toSloRecord(row, service.slug) })),
    );
  return generated(bundleOf(entries, new Date()), format, 'umpire-slos');
}
