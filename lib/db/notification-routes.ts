import { db } from './client';
import type { NotificationRoute as RouteRow, Prisma } from './generated/client';
import type { Tx } from './transaction';

const withChannel = { channel: { select: { slug: true, name: true, kind: true } } } as const;

/** A route with the channel it sends to. */
export type RouteWithChannel = RouteRow & { channel: { slug: string; name: string; kind: string } };

/** Routes, by team then age; one team's when `team` is given. */
export function listRouteRows(filter: { team?: string | undefined } = {}): Promise<RouteWithChannel[]> {
  return db().notificationRoute.findMany({
    where: filter.team === undefined ? {} : { team: filter.team },
    include: withChannel,
    orderBy: [{ team: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
  });
}

/** The routes sending to one channel. */
export function listRoutesOfChannel(channelId: string): Promise<RouteWithChannel[]> {
  return db().notificationRoute.findMany({ where: { channelId }, include: withChannel, orderBy: [{ team: 'asc' }, { createdAt: 'asc' }] });
}

/** The SLO slugs of a service that exist among these. */
export async function existingSloSlugs(service: string, slugs: readonly string[]): Promise<Set<string>> {
  if (slugs.length === 0) return new Set();
  const rows = await db().slo.findMany({ where: { service: { slug: service }, slug: { in: [...slugs] } }, select: { slug: true } });
  return new Set(rows.map((r) => r.slug));
}

/** The owner team of each of these services that exists. */
export async function ownerTeamsOf(slugs: readonly string[]): Promise<Map<string, string>> {
  if (slugs.length === 0) return new Map();
  const rows = await db().service.findMany({ where: { slug: { in: [...slugs] } }, select: { slug: true, ownerTeam: true } });
  return new Map(rows.map((r) => [r.slug, r.ownerTeam]));
}

export function findRouteRow(id: string): Promise<RouteWithChannel | null> {
  return db().notificationRoute.findUnique({ where: { id }, include: withChannel });
}

export interface RouteColumns {
  team: string;
  channelId: string;
  services: string[];
  slos: string[];
  severities: string[];
  kinds: string[];
  labels: Prisma.InputJsonValue;
  createdBy: string;
  /** Set when an apply from git made it (an OpenSLO notification target). */
  managedSource?: string | null;
  managedPath?: string | null;
}

export function insertRoute(tx: Tx, columns: RouteColumns): Promise<RouteWithChannel> {
  return tx.notificationRoute.create({ data: columns, include: withChannel });
}

export async function deleteRouteRow(tx: Tx, id: string): Promise<void> {
  await tx.notificationRoute.delete({ where: { id } });
}
