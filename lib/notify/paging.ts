import { AlertKind, Severity } from '../schemas/index';
import type { AlertKind as AlertKindT, Severity as SeverityT } from '../schemas/index';
import { routeMatches, type RouteMatcher } from './routing';

export interface PagingRouteIn extends RouteMatcher {
  id: string;
  channel: { slug: string; name: string; kind: string };
}

export interface PagingPath<R extends PagingRouteIn> {
  severity: SeverityT;
  kind: AlertKindT;
  /** `slos` null: the route takes this for every SLO of the service; otherwise only these SLOs' (its labels narrow it). */
  routes: Array<{ route: R; slos: string[] | null }>;
}

/**
 * For each severity and alert kind, the routes that would take a service's alert, as the dispatcher's routeMatches
 * decides: a route with labels takes only the SLOs whose labels it names, and none when no SLO has them.
 */
export function pagingPaths<R extends PagingRouteIn>(
  routes: readonly R[],
  service: { slug: string; team: string },
  slos: ReadonlyArray<{ slug: string; labels: Record<string, string> }>,
): Array<PagingPath<R>> {
  const paths: Array<PagingPath<R>> = [];
  for (const severity of Severity.options) {
    for (const kind of AlertKind.options) {
      const subject = { team: service.team, service: service.slug, severity, kind };
      const taken: PagingPath<R>['routes'] = [];
      for (const route of routes) {
        if (Object.keys(route.labels).length === 0 && route.slos.length === 0) {
          if (routeMatches(route, { ...subject, slo: '', labels: {} })) taken.push({ route, slos: null });
          continue;
        }
        const matching = slos.filter((slo) => routeMatches(route, { ...subject, slo: slo.slug, labels: slo.labels })).map((slo) => slo.slug);
        if (matching.length > 0) taken.push({ route, slos: matching });
      }
      paths.push({ severity, kind, routes: taken });
    }
  }
  return paths;
}
