/** The fields of a notification route that say whether it is an OpenSLO notification target. */
export interface RouteShape {
  services: readonly string[];
  slos: readonly string[];
  severities: readonly string[];
  kinds: readonly string[];
  labels: unknown;
  channel: { slug: string };
}

/** An SLO's notification target as a route holds it. */
export interface Target {
  service: string;
  slo: string;
  channel: string;
  severity: string;
}

/**
 * A route an OpenSLO notification target makes (and the export writes back): one SLO's burn-rate alerts of one
 * severity to one channel. Other routes are made in Umpire and are not the files' to change.
 */
export function targetOf(route: RouteShape): Target | null {
  const labels = route.labels as Record<string, unknown> | null;
  const shaped =
    route.services.length === 1 &&
    route.slos.length === 1 &&
    route.severities.length === 1 &&
    route.kinds.length === 1 &&
    route.kinds[0] === 'burn_rate' &&
    (labels === null || Object.keys(labels).length === 0);
  return shaped ? { service: route.services[0]!, slo: route.slos[0]!, channel: route.channel.slug, severity: route.severities[0]! } : null;
}

export const targetName = (t: { service: string; slo: string; channel: string; severity: string }) => `${t.service}/${t.slo} → ${t.channel} (${t.severity})`;
