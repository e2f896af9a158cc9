import { z } from 'zod';
import { AlertKind, Channel, ChannelKind, Delivery, Route, Silence } from './alerting';
import { Severity } from './slo';

/** GET /api/v1/channels */
export const ChannelList = z.object({ channels: z.array(Channel) });

/** POST /api/v1/channels/{channel}/test: how the test notification went (a failing receiver is a 200 with ok false). */
export const ChannelTestResult = z.object({
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  /** What the receiver answered (truncated), or why it could not be reached; never the secret. */
  response: z.string(),
  /** The notification recorded for it, as the channel's delivery log shows it. */
  delivery: z.uuid(),
});
export type ChannelTestResult = z.infer<typeof ChannelTestResult>;

/** GET /api/v1/channels/{channel}/deliveries and GET /api/v1/alerts/{id}/deliveries: newest first. */
export const DeliveryQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `next` of the previous page. */
  cursor: z
    .string()
    .max(200)
    .regex(/^[0-9TZ:.+-]+_[0-9a-f-]{36}$/, 'must be the next cursor of a previous page')
    .optional(),
});
export type DeliveryQuery = z.infer<typeof DeliveryQuery>;

export const DeliveryPage = z.object({ deliveries: z.array(Delivery), next: z.string().nullable() });
export type DeliveryPage = z.infer<typeof DeliveryPage>;

/** GET /api/v1/routes */
export const RouteQuery = z.strictObject({ team: z.string().trim().min(1).max(100).optional() });
export const RouteList = z.object({ routes: z.array(Route) });

/** GET /api/v1/silences: active (the default), past, or all. */
export const SilenceQuery = z.strictObject({ active: z.enum(['true', 'false', 'all']).default('true') });
export const SilenceList = z.object({ silences: z.array(Silence) });

/** One route that takes some of a service's alerts of one severity and kind. */
export const PagingRoute = z.object({
  route: z.uuid(),
  channel: z.string(),
  channelName: z.string(),
  channelKind: ChannelKind,
  /** null: every SLO of the service; a list: the route's labels narrow it to these SLOs. */
  slos: z.array(z.string()).nullable(),
});
export type PagingRoute = z.infer<typeof PagingRoute>;

/** GET /api/v1/services/{service}/paging: who is told when this service's SLOs alert. */
export const ServicePaging = z.object({
  service: z.string(),
  team: z.string(),
  paths: z.array(z.object({ severity: Severity, kind: AlertKind, routes: z.array(PagingRoute) })),
  /** Silences holding some or all of the service's notifications right now. */
  silences: z.array(Silence),
});
export type ServicePaging = z.infer<typeof ServicePaging>;
