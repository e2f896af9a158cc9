import { actorName, authorize, type Actor } from '../../auth/authorize';
import { deleteChannelRow } from '../../db/notification-channels';
import { listRoutesOfChannel } from '../../db/notification-routes';
import { ConflictError } from '../../errors';
import { log } from '../../log';
import { audited } from '../audit/audit';
import { channelTarget, findChannelRow, toChannel } from './channel-records';

/** Refuses while routes still send to it: deleting would silently stop those alerts reaching anyone. */
export async function deleteChannel({ actor, channel }: { actor: Actor; channel: string }): Promise<void> {
  await authorize(actor, 'channel.delete', { channel });
  const row = await findChannelRow(channel);
  const routes = await listRoutesOfChannel(row.id);
  if (routes.length > 0) {
    const teams = [...new Set(routes.map((r) => r.team))].map((t) => `“${t}”`).join(', ');
    throw new ConflictError(`${routes.length} route(s) of ${teams} still send alerts to "${row.slug}"; delete them first`);
  }
  await audited(actor, async (tx) => {
    await deleteChannelRow(tx, row.id);
    return { result: null, audit: { action: 'channel.delete', target: channelTarget(row), before: toChannel(row), after: null } };
  });
  log.info('channel.deleted', { channel, by: actorName(actor) });
}
