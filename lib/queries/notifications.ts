import {
  Channel,
  ChannelList,
  ChannelTestResult,
  DeliveryPage,
  Route,
  Silence,
  type ChannelInput,
  type ChannelPatch,
  type RouteInput,
  type SilenceInput,
} from '@/lib/schemas';
import { apiRequest } from './api';

const channelsPath = '/api/v1/channels';
const channelPath = (channel: string) => `${channelsPath}/${encodeURIComponent(channel)}`;

export const notificationKeys = {
  all: ['notifications'] as const,
  channels: () => [...notificationKeys.all, 'channels'] as const,
  deliveries: (channel: string, cursor: string | null) => [...notificationKeys.all, 'channels', channel, 'deliveries', cursor] as const,
};

export const listChannels = (signal?: AbortSignal) => apiRequest(channelsPath, ChannelList, { signal }).then((body) => body.channels);

export const createChannel = (input: ChannelInput) => apiRequest(channelsPath, Channel, { method: 'POST', body: input });

/** Leaving `secret` out of the patch keeps the stored secret. */
export const updateChannel = (channel: string, patch: ChannelPatch) => apiRequest(channelPath(channel), Channel, { method: 'PATCH', body: patch });

export const deleteChannel = (channel: string) => apiRequest(channelPath(channel), null, { method: 'DELETE' });

/** A 200 even when the receiver fails: `ok: false` carries its status code and answer. */
export const sendTestNotification = (channel: string) => apiRequest(`${channelPath(channel)}/test`, ChannelTestResult, { method: 'POST' });

export const channelDeliveries = (channel: string, cursor: string | null, signal?: AbortSignal) =>
  apiRequest(`${channelPath(channel)}/deliveries?${new URLSearchParams({ limit: '20', ...(cursor ? { cursor } : {}) })}`, DeliveryPage, { signal });

export const createRoute = (input: RouteInput) => apiRequest('/api/v1/routes', Route, { method: 'POST', body: input });

export const deleteRoute = (id: string) => apiRequest(`/api/v1/routes/${encodeURIComponent(id)}`, null, { method: 'DELETE' });

export const createSilence = (input: SilenceInput) => apiRequest('/api/v1/silences', Silence, { method: 'POST', body: input });

/** Ends the silence now. */
export const endSilence = (id: string) => apiRequest(`/api/v1/silences/${encodeURIComponent(id)}`, Silence, { method: 'DELETE' });
