import { describe, expect, it } from 'vitest';
import { alertMessage } from '../message.fixture';
import { PagerDutyEvent, pagerDutyAdapter, pagerDutyDedupKey, pagerDutyEvent, pagerDutySeverity } from './pagerduty';

describe('pagerDutyEvent', () => {
  it('a trigger carries the summary, source, severity, figures and links', () => {
    const event = PagerDutyEvent.parse(pagerDutyEvent(alertMessage(), 'R0UTINGKEY'));
    expect(event).toMatchObject({
      routing_key: 'R0UTINGKEY',
      event_action: 'trigger',
      dedup_key: 'umpire/checkout-api/availability/burn_rate/page',
      payload: {
        summary: 'checkout-api/availability burns its budget 14.4x (page)',
        source: 'umpire: checkout-api/availability',
        severity: 'critical',
        timestamp: '2026-12-07T16:00:00.000Z',
        component: 'availability',
        group: 'checkout-api',
        class: 'burn_rate',
        custom_details: { sli: expect.stringContaining('98.56'), budget_left: '42%', burn_rates: expect.stringContaining('1h: 14.40×') },
      },
      links: [
        { href: 'https://umpire.example.com/services/checkout-api/slos/availability', text: 'SLO in Umpire' },
        { href: 'https://runbooks.example.com/checkout', text: 'Runbook' },
      ],
    });
  });

  it('a repeat is a trigger on the same dedup key; a resolve sends only the key', () => {
    expect(pagerDutyEvent(alertMessage({ action: 'repeat' }), 'k')).toMatchObject({
      event_action: 'trigger',
      dedup_key: 'umpire/checkout-api/availability/burn_rate/page',
    });
    expect(PagerDutyEvent.parse(pagerDutyEvent(alertMessage({ action: 'resolve' }), 'k'))).toEqual({
      routing_key: 'k',
      event_action: 'resolve',
      dedup_key: 'umpire/checkout-api/availability/burn_rate/page',
    });
  });

  it('cuts a long summary to PagerDuty’s 1024 characters', () => {
    const event = PagerDutyEvent.parse(pagerDutyEvent(alertMessage({ summary: 'x'.repeat(5000) }), 'k'));
    expect(event.event_action === 'trigger' && event.payload.summary.length).toBe(1024);
  });
});

describe('pagerDutySeverity', () => {
  it.each([
    ['page', 'critical'],
    ['ticket', 'warning'],
  ] as const)('%s -> %s', (severity, want) => expect(pagerDutySeverity(severity)).toBe(want));
});

describe('pagerDutyDedupKey', () => {
  it('is the group key, the same for every tier, transition and delivery of one SLO, kind and severity', () => {
    const keys = new Set(
      [
        alertMessage(),
        alertMessage({ action: 'repeat', idempotencyKey: 'other' }),
        alertMessage({ action: 'resolve', event: { id: 'another-event', alertKey: 'burn_rate:6h:30m', longWindow: '6h', shortWindow: '30m' } }),
      ].map(pagerDutyDedupKey),
    );
    expect([...keys]).toEqual(['umpire/checkout-api/availability/burn_rate/page']);
  });

  it('a test has its own key; a key over 255 characters is hashed, stably', () => {
    expect(pagerDutyDedupKey(alertMessage({ action: 'test' }))).toBe('umpire/checkout-api/availability/burn_rate/page/test');
    const long = alertMessage({ event: { groupKey: `umpire/${'s'.repeat(300)}` } });
    expect(pagerDutyDedupKey(long)).toMatch(/^umpire\/[0-9a-f]{64}$/);
    expect(pagerDutyDedupKey(long)).toBe(pagerDutyDedupKey(structuredClone(long)));
  });
});

describe('pagerDutyAdapter', () => {
  it('refuses without a routing key, and validate() says so', async () => {
    const config = { kind: 'pagerduty' as const, url: 'https://events.pagerduty.com/v2/enqueue' };
    expect(pagerDutyAdapter.validate(config, null)).toHaveProperty('secret');
    const result = await pagerDutyAdapter.send(
      alertMessage(),
      { slug: 'pd', config, secret: null },
      { fetch: globalThis.fetch, timeoutMs: 100, now: () => new Date() },
    );
    expect(result).toMatchObject({ ok: false, retryable: false });
  });

  it.each([
    [202, true, false],
    [400, false, false],
    [429, false, true],
    [500, false, true],
  ])('HTTP %i -> ok %s, retryable %s, never echoing the routing key', async (status, ok, retryable) => {
    const fetch = (async () => new Response(`{"status":"x","message":"key R0UTINGKEY"}`, { status })) as unknown as typeof globalThis.fetch;
    const result = await pagerDutyAdapter.send(
      alertMessage(),
      { slug: 'pd', config: { kind: 'pagerduty', url: 'https://events.pagerduty.com/v2/enqueue' }, secret: 'R0UTINGKEY' },
      { fetch, timeoutMs: 100, now: () => new Date() },
    );
    expect(result).toMatchObject({ ok, statusCode: status, retryable });
    expect(result.response).not.toContain('R0UTINGKEY');
  });
});
