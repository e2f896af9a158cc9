import { listChannelRows } from '../../db/notification-channels';
import type { Channel } from '../../schemas/index';
import { findChannelRow, toChannel } from './channel-records';

/** Every channel with its non-secret settings: anyone who may read sees where alerts can go. */
export async function listChannels(): Promise<Channel[]> {
  return (await listChannelRows()).map(toChannel);
}

export async function getChannel({ channel }: { channel: string }): Promise<Channel> {
  return toChannel(await findChannelRow(channel));
}
