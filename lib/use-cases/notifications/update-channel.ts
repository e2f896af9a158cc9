import { actorName, authorize, type Actor } from '../../auth/authorize';
import { lockChannel, updateChannelRow } from '../../db/notification-channels';
import { NotFoundError } from '../../errors';
import { log } from '../../log';
import type { Channel, ChannelPatch } from '../../schemas/index';
import { audited } from '../audit/audit';
import {
  assertChannelAllowed,
  assertSecretMayFollow,
  channelConfigOf,
  channelTarget,
  encryptChannelSecret,
  findChannelRow,
  toChannel,
} from './channel-records';

/** Leaving the secret out keeps the stored one, unless the change sends it to another receiver (then it must be sent again). */
export async function updateChannel({ actor, channel, patch }: { actor: Actor; channel: string; patch: ChannelPatch }): Promise<Channel> {
  await authorize(actor, 'channel.update', { channel });
  const existing = await findChannelRow(channel);
  const config = patch.config ?? channelConfigOf(existing);
  assertChannelAllowed(config, { given: patch.secret, stored: existing.secret !== null });
  const secret = patch.secret === undefined ? undefined : encryptChannelSecret(patch.secret);
  const updated = await audited(actor, async (tx) => {
    const current = await lockChannel(tx, existing.id);
    if (!current) throw new NotFoundError(`Channel "${channel}" does not exist`);
    assertSecretMayFollow(channelConfigOf(current), config, current.secret !== null, patch.secret !== undefined);
    const row = await updateChannelRow(tx, current.id, {
      name: patch.name,
      kind: patch.config?.kind,
      config: patch.config,
      secret,
    });
    const after = toChannel(row);
    // The secret never enters the trail; that it was replaced does.
    return {
      result: after,
      audit: {
        action: 'channel.update',
        target: channelTarget(row),
        before: toChannel(current),
        after,
        ...(patch.secret !== undefined ? { details: { secret: 'replaced' } } : {}),
      },
    };
  });
  log.info('channel.updated', { channel, fields: Object.keys(patch), by: actorName(actor) });
  return updated;
}
