/**
 * What a webhook receiver needs from Umpire, and nothing more: the body's schema, the headers and the signature
 * check. Apart from the adapter (./webhook.ts) so a receiver, a test or a script can import it without the
 * outbound HTTP stack.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AlertKind, NotificationAction, Severity } from '../../schemas/index';

export const WEBHOOK_SIGNATURE_HEADER = 'X-Umpire-Signature';
export const WEBHOOK_IDEMPOTENCY_HEADER = 'X-Umpire-Idempotency-Key';

const Instant = z.iso.datetime({ offset: true });

/** Umpire's webhook body, version 1 (docs/notifications.md). New fields may be added; a change of meaning bumps the version. */
export const WebhookPayload = z.strictObject({
  version: z.literal(1),
  action: NotificationAction,
  idempotencyKey: z.string().min(1),
  event: z.strictObject({
    id: z.string().min(1),
    kind: AlertKind,
    severity: Severity,
    alertKey: z.string(),
    groupKey: z.string(),
    alertName: z.string(),
    startedAt: Instant,
    endedAt: Instant.nullable(),
    peakBurnRate: z.number().nullable(),
    budgetSpent: z.number().nullable(),
    longWindow: z.string().optional(),
    shortWindow: z.string().optional(),
    threshold: z.number().optional(),
  }),
  service: z.strictObject({ slug: z.string(), name: z.string(), team: z.string() }),
  slo: z.strictObject({ slug: z.string(), name: z.string(), objective: z.number(), labels: z.record(z.string(), z.string()) }),
  figures: z.strictObject({
    asOf: Instant,
    sli: z.number().nullable(),
    budgetRemaining: z.number().nullable(),
    burnRates: z.record(z.string(), z.number().nullable()),
  }),
  summary: z.string(),
  description: z.string(),
  links: z.strictObject({ slo: z.url(), runbook: z.url().nullable(), dashboard: z.url().nullable() }),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The X-Umpire-Signature value: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function webhookSignature(secret: string, body: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

/**
 * Whether a signature header is the sender's for this raw body, made within `toleranceSeconds` of `now` (so a captured
 * request cannot be replayed later). Compares in constant time; any of several v1 values may match (a rotated secret).
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  now: Date = new Date(),
  toleranceSeconds = 300,
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const t = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  return parts
    .filter(([key, value]) => key === 'v1' && value && /^[0-9a-f]{64}$/i.test(value))
    .some(([, value]) => timingSafeEqual(Buffer.from(value!, 'hex'), expected));
}
