import { listRouteRows } from '../../db/notification-routes';
import { findServiceBySlug } from '../../db/services';
import { listSilencesTouching } from '../../db/silences';
import { listSlosOfService } from '../../db/slos';
import { pagingPaths } from '../../notify/paging';
import { Labels, type ChannelKind, type ServicePaging } from '../../schemas/index';
import { toSilence } from './silences';

/**
 * Who is told when this service's SLOs alert: for each severity and alert kind, the routes of its team that take
 * the alert (and, where a route's labels narrow it, for which SLOs), with their channels; and the silences
 * holding its notifications now.
 */
export async function servicePaging({ service, now = new Date() }: { service: string; now?: Date }): Promise<ServicePaging> {
  const row = await findServiceBySlug(service);
  const [routes, slos, silences] = await Promise.all([
    listRouteRows({ team: row.ownerTeam }),
    listSlosOfService(row.id),
    listSilencesTouching(row.ownerTeam, row.id, now),
  ]);
  const matchers = routes.map((r) => ({ ...r, labels: Labels.parse(r.labels) }));
  const paths = pagingPaths(
    matchers,
    { slug: row.slug, team: row.ownerTeam },
    slos.map((s) => ({ slug: s.slug, labels: Labels.parse(s.labels) })),
  );
  return {
    service: row.slug,
    team: row.ownerTeam,
    paths: paths.map((p) => ({
      severity: p.severity,
      kind: p.kind,
      routes: p.routes.map(({ route, slos: only }) => ({
        route: route.id,
        channel: route.channel.slug,
        channelName: route.channel.name,
        channelKind: route.channel.kind as ChannelKind,
        slos: only,
      })),
    })),
    silences: silences.map((s) => toSilence(s, now)).filter((s) => s.active),
  };
}
