import { actorName, authorize, type Actor } from '../../auth/authorize';
import { insertChannel } from '../../db/notification-channels';
import { ConflictError, prismaErrorCode } from '../../errors';
import { log } from '../../log';
import type { Channel, ChannelInput } from '../../schemas/index';
import { audited } from '../audit/audit';
import { assertChannelAllowed, channelTarget, encryptChannelSecret, toChannel } from './channel-records';

export async function createChannel({ actor, input }: { actor: Actor; input: ChannelInput }): Promise<Channel> {
  await authorize(actor, 'channel.create', { channel: input.slug });
  assertChannelAllowed(input.config, { given: input.secret, stored: false });
  const secret = input.secret === undefined ? null : encryptChannelSecret(input.secret);
  try {
    const channel = await audited(actor, async (tx) => {
      const row = await insertChannel(tx, {
        slug: input.slug,
        name: input.name,
        kind: input.config.kind,
        config: input.config,
        secret,
        createdBy: actorName(actor),
      });
      const created = toChannel(row);
      return { result: created, audit: { action: 'channel.create', target: channelTarget(row), before: null, after: created } };
    });
    log.info('channel.created', { channel: channel.slug, kind: channel.kind, by: actorName(actor) });
    return channel;
  } catch (error) {
    if (prismaErrorCode(error) === 'P2002') throw new ConflictError(`A channel with slug "${input.slug}" already exists`, { slug: 'is already taken' });
    throw error;
  }
}
