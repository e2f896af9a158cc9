import type { AlertKind, Severity } from '../schemas/index';

/** What a route or a silence is matched against: one alert of one SLO. */
export interface AlertSubject {
  team: string;
  service: string;
  slo: string;
  severity: Severity;
  kind: AlertKind;
  labels: Record<string, string>;
}

export interface RouteMatcher {
  team: string;
  services: readonly string[];
  /** SLO slugs of the route's one service; empty: every SLO. */
  slos: readonly string[];
  severities: readonly string[];
  kinds: readonly string[];
  labels: Record<string, string>;
}

/** A route takes an alert of its team when every list it sets names the alert and every label it sets is the SLO's. */
export function routeMatches(route: RouteMatcher, alert: AlertSubject): boolean {
  if (route.team !== alert.team) return false;
  if (route.services.length > 0 && !route.services.includes(alert.service)) return false;
  if (route.slos.length > 0 && !route.slos.includes(alert.slo)) return false;
  if (route.severities.length > 0 && !route.severities.includes(alert.severity)) return false;
  if (route.kinds.length > 0 && !route.kinds.includes(alert.kind)) return false;
  return Object.entries(route.labels).every(([key, value]) => alert.labels[key] === value);
}

export interface SilenceMatcher {
  scope: 'team' | 'service' | 'slo';
  team: string;
  service: string | null;
  slo: string | null;
  startsAt: Date;
  endsAt: Date;
}

/** A silence holds an alert's notifications while it lasts ([startsAt, endsAt)) and covers the alert's team, service or SLO. */
export function silenceCovers(silence: SilenceMatcher, alert: Pick<AlertSubject, 'team' | 'service' | 'slo'>, at: Date): boolean {
  if (at < silence.startsAt || at >= silence.endsAt) return false;
  if (silence.scope === 'team') return silence.team === alert.team;
  if (silence.service !== alert.service) return false;
  return silence.scope === 'service' || silence.slo === alert.slo;
}
