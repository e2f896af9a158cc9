import { alertEventExists, listDeliveryRows, type DeliveryRow } from '../../db/notifications-log';
import { NotFoundError } from '../../errors';
import type { ChannelKind, Delivery, DeliveryPage, DeliveryQuery, NotificationAction } from '../../schemas/index';
import { findChannelRow } from './channel-records';

/** The service and SLO an alert's notification was about, from the message it carries (a test is about none). */
function subjectOf(row: DeliveryRow): { service: string | null; slo: string | null } {
  if (row.action === 'test') return { service: null, slo: null };
  const payload = row.payload as { service?: { slug?: unknown }; slo?: { slug?: unknown } } | null;
  const service = payload?.service?.slug;
  const slo = payload?.slo?.slug;
  return { service: typeof service === 'string' ? service : null, slo: typeof slo === 'string' ? slo : null };
}

export function toDelivery(row: DeliveryRow): Delivery {
  const last = row.deliveries[0];
  return {
    id: row.id,
    channel: row.channel.slug,
    channelKind: row.channel.kind as ChannelKind,
    action: row.action as NotificationAction,
    status: row.status as Delivery['status'],
    attempts: row.attempts,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    nextAttemptAt: row.status === 'pending' || row.status === 'sending' ? row.nextAttemptAt.toISOString() : null,
    ...subjectOf(row),
    alertEventId: row.alertEventId,
    lastAttempt: last ? { at: last.at.toISOString(), ok: last.ok, statusCode: last.statusCode, response: last.response, ms: last.ms } : null,
  };
}

function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const at = cursor.lastIndexOf('_');
  const createdAt = new Date(cursor.slice(0, at));
  return Number.isNaN(createdAt.getTime()) ? undefined : { createdAt, id: cursor.slice(at + 1) };
}

async function page(filter: { channelId?: string; alertEventId?: string }, query: DeliveryQuery): Promise<DeliveryPage> {
  // One row more than asked says whether there is a next page.
  const rows = await listDeliveryRows({ ...filter, before: decodeCursor(query.cursor), limit: query.limit + 1 });
  const shown = rows.slice(0, query.limit);
  const last = shown.at(-1);
  return { deliveries: shown.map(toDelivery), next: rows.length > query.limit && last ? `${last.createdAt.toISOString()}_${last.id}` : null };
}

/** A channel's delivery log, newest first. */
export async function listChannelDeliveries({ channel, query }: { channel: string; query: DeliveryQuery }): Promise<DeliveryPage> {
  const row = await findChannelRow(channel);
  return page({ channelId: row.id }, query);
}

/** What was sent about one alert event, to every channel, newest first. */
export async function listEventDeliveries({ alertEventId, query }: { alertEventId: string; query: DeliveryQuery }): Promise<DeliveryPage> {
  if (!(await alertEventExists(alertEventId))) throw new NotFoundError(`Alert "${alertEventId}" does not exist`);
  return page({ alertEventId }, query);
}
