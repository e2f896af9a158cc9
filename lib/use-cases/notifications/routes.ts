import { actorName, authorize, type Actor } from '../../auth/authorize';
import { findChannelBySlug } from '../../db/notification-channels';
import { deleteRouteRow, existingSloSlugs, findRouteRow, insertRoute, listRouteRows, ownerTeamsOf, type RouteWithChannel } from '../../db/notification-routes';
import { NotFoundError, UnprocessableError } from '../../errors';
import { log } from '../../log';
import { Labels, type ChannelKind, type Route, type RouteInput } from '../../schemas/index';
import { audited } from '../audit/audit';
import { handEdit } from '../catalog/managed-edits';

export function toRoute(row: RouteWithChannel): Route {
  return {
    id: row.id,
    team: row.team,
    channel: row.channel.slug,
    channelName: row.channel.name,
    channelKind: row.channel.kind as ChannelKind,
    services: row.services,
    slos: row.slos,
    severities: row.severities as Route['severities'],
    kinds: row.kinds as Route['kinds'],
    labels: Labels.parse(row.labels),
    managedBy: row.managedSource === null ? null : { source: row.managedSource, path: row.managedPath },
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

function routeTarget(row: RouteWithChannel): { type: 'route'; id: string; name: string } {
  return { type: 'route', id: row.id, name: `${row.team} → ${row.channel.slug}` };
}

/** Routes of every team (anyone who may read sees where alerts go), or of one. */
export async function listRoutes({ team }: { team?: string | undefined } = {}): Promise<Route[]> {
  return (await listRouteRows({ team })).map(toRoute);
}

/**
 * Sends some of a team's alerts to a channel: an editor routes only their own teams' alerts, an admin any team's.
 * The channel must exist; services it names must exist and belong to the team (another team's never match).
 */
export async function createRoute({ actor, input }: { actor: Actor; input: RouteInput }): Promise<Route> {
  await authorize(actor, 'route.create', { team: input.team });
  const channel = await findChannelBySlug(input.channel);
  const fields: Record<string, string> = {};
  if (!channel) fields.channel = `there is no channel "${input.channel}"`;
  const teams = await ownerTeamsOf(input.services);
  const unknown = input.services.filter((s) => !teams.has(s));
  const others = input.services.filter((s) => teams.has(s) && teams.get(s) !== input.team);
  if (unknown.length > 0) fields.services = `${unknown.map((s) => `"${s}"`).join(', ')} ${unknown.length > 1 ? 'do' : 'does'} not exist`;
  else if (others.length > 0) fields.services = `${others.map((s) => `"${s}"`).join(', ')} ${others.length > 1 ? 'belong' : 'belongs'} to another team`;
  // SLOs are named within one service: the route's only one.
  if (input.slos.length > 0 && input.services.length !== 1) fields.slos = 'name SLOs of one service: give exactly that service in services';
  else if (input.slos.length > 0 && !fields.services) {
    const found = await existingSloSlugs(input.services[0]!, input.slos);
    const missing = input.slos.filter((s) => !found.has(s));
    if (missing.length > 0)
      fields.slos = `${missing.map((s) => `"${s}"`).join(', ')} ${missing.length > 1 ? 'are not SLOs' : 'is not an SLO'} of "${input.services[0]}"`;
  }
  if (!channel || Object.keys(fields).length > 0) {
    throw new UnprocessableError(
      `The route cannot be saved: ${Object.entries(fields)
        .map(([f, m]) => `${f}: ${m}`)
        .join('; ')}`,
      fields,
    );
  }
  const route = await audited(actor, async (tx) => {
    const row = await insertRoute(tx, {
      team: input.team,
      channelId: channel.id,
      services: [...new Set(input.services)],
      slos: [...new Set(input.slos)],
      severities: [...new Set(input.severities)],
      kinds: [...new Set(input.kinds)],
      labels: input.labels,
      createdBy: actorName(actor),
    });
    const created = toRoute(row);
    return { result: created, audit: { action: 'route.create', target: routeTarget(row), before: null, after: created } };
  });
  log.info('route.created', { route: route.id, team: route.team, channel: route.channel, by: actorName(actor) });
  return route;
}

export async function deleteRoute({ actor, id }: { actor: Actor; id: string }): Promise<void> {
  const row = await findRouteRow(id);
  if (!row) throw new NotFoundError(`Route "${id}" does not exist`);
  await authorize(actor, 'route.delete', { team: row.team });
  const managed = handEdit(row.managedSource === null ? null : { source: row.managedSource, path: row.managedPath }, 'This route');
  await audited(actor, async (tx) => {
    await deleteRouteRow(tx, row.id);
    return { result: null, audit: { action: 'route.delete', target: routeTarget(row), before: toRoute(row), after: null, details: managed } };
  });
  log.info('route.deleted', { route: row.id, team: row.team, channel: row.channel.slug, by: actorName(actor) });
}
