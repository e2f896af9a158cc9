import { describe, expect, it } from 'vitest';
import { alertMessage } from '../message.fixture';
import { WebhookPayload, verifyWebhookSignature, webhookAdapter, webhookPayload, webhookSignature } from './webhook';

const now = new Date('2026-12-07T16:00:00.000Z');
const body = JSON.stringify(webhookPayload(alertMessage()));

describe('webhookPayload', () => {
  it('is version 1 of the documented body', () => {
    const payload = WebhookPayload.parse(JSON.parse(body));
    expect(payload).toMatchObject({
      version: 1,
      action: 'trigger',
      idempotencyKey: 'evt-1:trigger:ops-pager',
      event: { kind: 'burn_rate', severity: 'page', groupKey: 'umpire/checkout-api/availability/burn_rate/page', longWindow: '1h' },
      service: { slug: 'checkout-api', team: 'payments' },
      slo: { slug: 'availability', objective: 0.999 },
      figures: { sli: 0.9856, budgetRemaining: 0.42, burnRates: { '1h': 14.4 } },
      links: { runbook: 'https://runbooks.example.com/checkout', dashboard: null },
    });
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const header = webhookSignature(secret, body, now);

  it('has the form t=<unix seconds>,v1=<hex>', () => expect(header).toMatch(new RegExp(`^t=${now.getTime() / 1000},v1=[0-9a-f]{64}$`)));

  it('round-trips', () => expect(verifyWebhookSignature(secret, header, body, now)).toBe(true));

  it('rejects a tampered body, another secret, a missing or malformed header', () => {
    expect(verifyWebhookSignature(secret, header, body.replace('14.4', '1.44'), now)).toBe(false);
    expect(verifyWebhookSignature('other', header, body, now)).toBe(false);
    expect(verifyWebhookSignature(secret, null, body, now)).toBe(false);
    expect(verifyWebhookSignature(secret, 'v1=abc', body, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header.replace(/v1=.*/, 'v1=zz'), body, now)).toBe(false);
  });

  it('rejects a stale or future timestamp beyond the tolerance', () => {
    expect(verifyWebhookSignature(secret, header, body, new Date(now.getTime() + 299_000))).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, new Date(now.getTime() - 301_000))).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, new Date(now.getTime() + 3_000_000), 3600)).toBe(true);
  });

  it('accepts any matching v1 (a receiver rotating secrets)', () => {
    const [t, v1] = header.split(',');
    expect(verifyWebhookSignature(secret, `${t},v1=${'0'.repeat(64)},${v1}`, body, now)).toBe(true);
  });
});

describe('webhookAdapter.send', () => {
  it('signs the exact body it sends, with the idempotency key as a header', async () => {
    let seen: { url: string; headers: Headers; body: string } | null = null;
    const fetch = (async (url: string, init: RequestInit) => {
      seen = { url, headers: new Headers(init.headers), body: String(init.body) };
      return new Response(null, { status: 204 });
    }) as unknown as typeof globalThis.fetch;
    const result = await webhookAdapter.send(
      alertMessage(),
      { slug: 'w', config: { kind: 'webhook', url: 'https://hooks.example/umpire' }, secret: 'whsec_test' },
      { fetch, timeoutMs: 100, now: () => now },
    );
    expect(result).toEqual({ ok: true, statusCode: 204, response: 'HTTP 204', retryable: false });
    const got = seen as unknown as { url: string; headers: Headers; body: string };
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.headers.get('x-umpire-idempotency-key')).toBe('evt-1:trigger:ops-pager');
    expect(verifyWebhookSignature('whsec_test', got.headers.get('x-umpire-signature'), got.body, now)).toBe(true);
  });
});

describe('webhookAdapter.validate', () => {
  it('wants a signing secret and a URL the guard allows', () => {
    expect(webhookAdapter.validate({ kind: 'webhook', url: 'https://hooks.example/umpire' }, null)).toEqual({ secret: expect.any(String) });
    expect(webhookAdapter.validate({ kind: 'webhook', url: 'http://[fd00:ec2::254]/' }, 's')).toEqual({ 'config.url': expect.any(String) });
    expect(webhookAdapter.validate({ kind: 'webhook', url: 'https://hooks.example/umpire' }, 's')).toEqual({});
  });
});
