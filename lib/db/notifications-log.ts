import { db } from './client';
import type { Notification as NotificationRow, NotificationAttempt as AttemptRow, Prisma } from './generated/client';
import type { Tx } from './transaction';

/** A notification as its delivery log shows it: its channel, its latest attempt, and the SLO it was about. */
export type DeliveryRow = NotificationRow & {
  channel: { slug: string; kind: string };
  deliveries: AttemptRow[];
};

const logInclude = {
  channel: { select: { slug: true, kind: true } },
  deliveries: { orderBy: [{ at: 'desc' }, { id: 'desc' }], take: 1 },
} satisfies Prisma.NotificationInclude;

/**
 * Notifications of one channel or one alert event, newest first, after the keyset position `before` (the last row
 * of the previous page), at most `limit`.
 */
export function listDeliveryRows(filter: {
  channelId?: string;
  alertEventId?: string;
  before?: { createdAt: Date; id: string };
  limit: number;
}): Promise<DeliveryRow[]> {
  const where: Prisma.NotificationWhereInput = {
    ...(filter.channelId === undefined ? {} : { channelId: filter.channelId }),
    ...(filter.alertEventId === undefined ? {} : { alertEventId: filter.alertEventId }),
    ...(filter.before ? { OR: [{ createdAt: { lt: filter.before.createdAt } }, { createdAt: filter.before.createdAt, id: { lt: filter.before.id } }] } : {}),
  };
  return db().notification.findMany({ where, include: logInclude, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: filter.limit });
}

/** Whether there is an alert event with this id. */
export async function alertEventExists(id: string): Promise<boolean> {
  return (await db().alertEvent.count({ where: { id } })) > 0;
}

export interface RecordedDelivery {
  idempotencyKey: string;
  channelId: string;
  action: string;
  payload: Prisma.InputJsonValue;
  status: 'delivered' | 'failed';
  attempt: { at: Date; ok: boolean; statusCode: number | null; response: string; ms: number };
}

/** A notification sent at once (a test), written with its one attempt: nothing is left for the dispatcher. */
export async function insertSentNotification(tx: Tx, sent: RecordedDelivery): Promise<NotificationRow> {
  return tx.notification.create({
    data: {
      idempotencyKey: sent.idempotencyKey,
      channelId: sent.channelId,
      action: sent.action,
      payload: sent.payload,
      status: sent.status,
      attempts: 1,
      nextAttemptAt: sent.attempt.at,
      deliveredAt: sent.attempt.ok ? sent.attempt.at : null,
      createdAt: sent.attempt.at,
      deliveries: { create: [sent.attempt] },
    },
  });
}
