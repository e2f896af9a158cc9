/**
 * How many services and SLOs one Umpire holds at most: whoever may create them (a token, a script gone wrong)
 * must not be able to fill the database or the evaluator's minute. Pure: the counts come from the creating
 * transaction, which holds a lock so that two creations at once cannot both pass at the last free place.
 */
export interface Quotas {
  /** UMPIRE_MAX_SERVICES */
  services: number;
  /** UMPIRE_MAX_SLOS_PER_SERVICE */
  slosPerService: number;
  /** UMPIRE_MAX_SLOS */
  slos: number;
}

export interface QuotaBreach {
  /** Which quota: services, slos_per_service or slos. */
  name: 'services' | 'slos_per_service' | 'slos';
  limit: number;
  /** The environment variable that sets it. */
  setting: 'UMPIRE_MAX_SERVICES' | 'UMPIRE_MAX_SLOS_PER_SERVICE' | 'UMPIRE_MAX_SLOS';
  /** What happened and what to do, in a sentence. */
  message: string;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/** Whether one more service fits, given how many there are. */
export function serviceQuotaBreach(services: number, quotas: Quotas): QuotaBreach | null {
  if (services < quotas.services) return null;
  return {
    name: 'services',
    limit: quotas.services,
    setting: 'UMPIRE_MAX_SERVICES',
    message: `Umpire holds ${plural(services, 'service', 'services')}, its limit is ${plural(quotas.services, 'service', 'services')} (UMPIRE_MAX_SERVICES): delete services no longer needed, or ask the operator to raise UMPIRE_MAX_SERVICES`,
  };
}

/** Whether one more SLO fits on `service`, given its SLOs and all SLOs. */
export function sloQuotaBreach(counts: { service: string; ofService: number; all: number }, quotas: Quotas): QuotaBreach | null {
  if (counts.ofService >= quotas.slosPerService) {
    return {
      name: 'slos_per_service',
      limit: quotas.slosPerService,
      setting: 'UMPIRE_MAX_SLOS_PER_SERVICE',
      message: `Service “${counts.service}” has ${plural(counts.ofService, 'SLO', 'SLOs')}, the most one service may have is ${plural(quotas.slosPerService, 'SLO', 'SLOs')} (UMPIRE_MAX_SLOS_PER_SERVICE): delete SLOs it no longer needs, or ask the operator to raise UMPIRE_MAX_SLOS_PER_SERVICE`,
    };
  }
  if (counts.all >= quotas.slos) {
    return {
      name: 'slos',
      limit: quotas.slos,
      setting: 'UMPIRE_MAX_SLOS',
      message: `Umpire holds ${plural(counts.all, 'SLO', 'SLOs')}, its limit is ${plural(quotas.slos, 'SLO', 'SLOs')} (UMPIRE_MAX_SLOS): delete SLOs no longer needed, or ask the operator to raise UMPIRE_MAX_SLOS`,
    };
  }
  return null;
}
