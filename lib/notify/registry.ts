import type { ChannelKind } from '../schemas/index';
import type { ChannelAdapter } from './types';

/** Each channel kind's adapter (lib/notify/<kind>/). */
export const adapters: Partial<{ [K in ChannelKind]: ChannelAdapter<K> }> = {};
