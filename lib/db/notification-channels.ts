import { db } from './client';
import type { NotificationChannel as ChannelRow, Prisma } from './generated/client';
import type { Tx } from './transaction';

/** The channel's row, locked until the transaction ends: whether its secret may follow a new URL is decided on it. */
export async function lockChannel(tx: Tx, id: string): Promise<ChannelRow | null> {
  await tx.$queryRaw`SELECT id FROM notification_channels WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.notificationChannel.findUnique({ where: { id } });
}

export function findChannelBySlug(slug: string): Promise<ChannelRow | null> {
  return db().notificationChannel.findUnique({ where: { slug } });
}

/** Every channel, by name. */
export function listChannelRows(): Promise<ChannelRow[]> {
  return db().notificationChannel.findMany({ orderBy: [{ name: 'asc' }, { slug: 'asc' }] });
}

/** The columns a channel is stored with; its secret already encrypted. */
export type ChannelColumns = Pick<ChannelRow, 'slug' | 'name' | 'kind' | 'secret' | 'createdBy'> & { config: Prisma.InputJsonValue };

export function insertChannel(tx: Tx, columns: ChannelColumns): Promise<ChannelRow> {
  return tx.notificationChannel.create({ data: columns });
}

/** Changes the channel's columns (undefined: left as is). */
export function updateChannelRow(
  tx: Tx,
  id: string,
  changes: { name?: string | undefined; kind?: string | undefined; config?: Prisma.InputJsonValue | undefined; secret?: string | null | undefined },
): Promise<ChannelRow> {
  return tx.notificationChannel.update({ where: { id }, data: changes });
}

/** Deletes the channel; its routes and its delivery log go with it (ON DELETE CASCADE). */
export async function deleteChannelRow(tx: Tx, id: string): Promise<void> {
  await tx.notificationChannel.delete({ where: { id } });
}
