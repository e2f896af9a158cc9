import type { AlertKind, ChannelConfig, ChannelKind, NotificationAction, Severity } from '../schemas/index';

/**
 * What a notification says, whatever the channel: built once when the alert's transition is recorded and stored in
 * the outbox row (notifications.payload), so a retry an hour later sends the same facts.
 */
export interface AlertMessage {
  /** Unique per alert event, transition and channel: receivers that deduplicate (webhook, PagerDuty) use it. */
  idempotencyKey: string;
  action: NotificationAction;
  /** The alert event; a test notification has id "test". */
  event: {
    id: string;
    kind: AlertKind;
    severity: Severity;
    alertKey: string;
    /**
     * Stable per SLO, alert kind and severity ("umpire/checkout-api/availability/burn_rate/page"): PagerDuty's
     * dedup_key. Tiers of one severity share it, so their incident resolves when the last of them does.
     */
    groupKey: string;
    /** "SLOBurnRatePage" etc.: Alertmanager's alertname. */
    alertName: string;
    startedAt: string;
    endedAt: string | null;
    peakBurnRate: number | null;
    budgetSpent: number | null;
    /** burn_rate: the tier's windows and threshold. */
    longWindow?: string;
    shortWindow?: string;
    threshold?: number;
  };
  service: { slug: string; name: string; team: string };
  slo: { slug: string; name: string; objective: number; labels: Record<string, string> };
  /** The figures as of `asOf` (the evaluation that made the transition). */
  figures: { asOf: string; sli: number | null; budgetRemaining: number | null; burnRates: Record<string, number | null> };
  /** One line: "checkout-api/availability burns its budget 14.4x (page)". */
  summary: string;
  /** A few sentences with the figures, as lib/slo/format.ts writes them. */
  description: string;
  links: { slo: string; runbook: string | null; dashboard: string | null };
}

/** How one delivery attempt went. */
export interface DeliveryResult {
  ok: boolean;
  /** HTTP status, or the SMTP reply code. */
  statusCode: number | null;
  /** What the receiver said (truncated), or why it could not be reached; never a secret. */
  response: string;
  /** false: retrying cannot help (a 4xx other than 408/429, a refused address): give up now. */
  retryable: boolean;
}

/** A channel as an adapter needs it: its settings and its secret, decrypted. */
export interface ChannelTarget {
  slug: string;
  config: ChannelConfig;
  secret: string | null;
}

export interface ChannelAdapter<K extends ChannelKind = ChannelKind> {
  kind: K;
  /** Field errors for a channel's config and secret beyond the schema (a Slack webhook URL that is not one). */
  validate(config: Extract<ChannelConfig, { kind: K }>, secret: string | null): Record<string, string>;
  send(message: AlertMessage, channel: ChannelTarget & { config: Extract<ChannelConfig, { kind: K }> }, deps: SendDeps): Promise<DeliveryResult>;
}

export interface SendDeps {
  /** fetch through the outbound guard (lib/sources/http/outbound.ts). */
  fetch: typeof fetch;
  /** Milliseconds before a receiver that does not answer counts as failed. */
  timeoutMs: number;
  now: () => Date;
}
