import { describe, expect, it } from 'vitest';
import { alertMessage } from '../message.fixture';
import { ALERTMANAGER_VALID_FOR_MS, AlertmanagerAlerts, alertmanagerAdapter, alertmanagerAlerts, alertsEndpoint } from './alertmanager';

const now = new Date('2026-12-07T16:00:30.000Z');

describe('alertmanagerAlerts', () => {
  it('sends a firing burn-rate alert as one postable alert, valid for four minutes', () => {
    const alerts = AlertmanagerAlerts.parse(alertmanagerAlerts(alertMessage(), now));
    expect(alerts).toEqual([
      {
        labels: {
          alertname: 'SLOBurnRatePage',
          severity: 'page',
          service: 'checkout-api',
          slo: 'availability',
          team: 'payments',
          kind: 'burn_rate',
          long_window: '1h',
          short_window: '5m',
        },
        annotations: {
          summary: 'checkout-api/availability burns its budget 14.4x (page)',
          description: expect.stringContaining('14.40×'),
          slo_url: 'https://umpire.example.com/services/checkout-api/slos/availability',
          runbook_url: 'https://runbooks.example.com/checkout',
        },
        startsAt: '2026-12-07T15:58:00.000Z',
        endsAt: new Date(now.getTime() + ALERTMANAGER_VALID_FOR_MS).toISOString(),
        generatorURL: 'https://umpire.example.com/services/checkout-api/slos/availability',
      },
    ]);
  });

  it.each(['trigger', 'repeat', 'test'] as const)('%s keeps the alert active for four more minutes', (action) => {
    const [alert] = alertmanagerAlerts(alertMessage({ action }), now);
    expect(alert?.endsAt).toBe('2026-12-07T16:04:30.000Z');
  });

  it('a resolve ends the alert when the event ended, or now', () => {
    const ended = alertmanagerAlerts(alertMessage({ action: 'resolve', event: { endedAt: '2026-12-07T16:00:00.000Z' } }), now);
    expect(ended[0]?.endsAt).toBe('2026-12-07T16:00:00.000Z');
    expect(alertmanagerAlerts(alertMessage({ action: 'resolve' }), now)[0]?.endsAt).toBe(now.toISOString());
  });

  it('labels only what identifies the alert: no windows outside burn rate, no dashboard annotation without a dashboard', () => {
    const [alert] = AlertmanagerAlerts.parse(
      alertmanagerAlerts(
        alertMessage({
          event: { kind: 'data_absent', alertName: 'SLODataAbsent', severity: 'ticket', longWindow: undefined, shortWindow: undefined },
          links: { slo: 'https://u.example/s', runbook: null, dashboard: 'https://grafana.example/d/1' },
        }),
        now,
      ),
    );
    expect(alert?.labels).toEqual({
      alertname: 'SLODataAbsent',
      severity: 'ticket',
      service: 'checkout-api',
      slo: 'availability',
      team: 'payments',
      kind: 'data_absent',
    });
    expect(alert?.annotations).toEqual({
      summary: expect.any(String),
      description: expect.any(String),
      slo_url: 'https://u.example/s',
      dashboard_url: 'https://grafana.example/d/1',
    });
  });

  it('the schema refuses what Alertmanager would', () => {
    expect(AlertmanagerAlerts.safeParse([{ labels: { severity: 'page' } }]).success).toBe(false);
    expect(AlertmanagerAlerts.safeParse([{ labels: { alertname: 'x', 'bad-name': 'y' } }]).success).toBe(false);
  });
});

describe('alertsEndpoint', () => {
  it.each([
    ['http://am:9093', 'http://am:9093/api/v2/alerts'],
    ['http://am:9093/', 'http://am:9093/api/v2/alerts'],
    ['https://proxy.example/alertmanager', 'https://proxy.example/alertmanager/api/v2/alerts'],
  ])('%s -> %s', (base, want) => expect(alertsEndpoint(base)).toBe(want));
});

describe('alertmanagerAdapter.send', () => {
  it('posts the alerts with basic auth and keeps the password out of the response', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(`bad request: ${String(new Headers(init.headers).get('authorization'))} s3cret`, { status: 400 });
    }) as typeof globalThis.fetch;
    const result = await alertmanagerAdapter.send(
      alertMessage(),
      { slug: 'am', config: { kind: 'alertmanager', url: 'http://am:9093', username: 'umpire' }, secret: 's3cret' },
      { fetch, timeoutMs: 1000, now: () => now },
    );
    expect(calls[0]?.url).toBe('http://am:9093/api/v2/alerts');
    expect(new Headers(calls[0]?.init.headers).get('authorization')).toBe(`Basic ${Buffer.from('umpire:s3cret').toString('base64')}`);
    expect(AlertmanagerAlerts.parse(JSON.parse(String(calls[0]?.init.body)))).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, statusCode: 400, retryable: false });
    expect(result.response).not.toContain('s3cret');
    expect(result.response).not.toContain(Buffer.from('umpire:s3cret').toString('base64'));
  });

  it('validate() reports a metadata URL', () => {
    expect(alertmanagerAdapter.validate({ kind: 'alertmanager', url: 'http://169.254.169.254/' }, null)).toHaveProperty('config.url');
    expect(alertmanagerAdapter.validate({ kind: 'alertmanager', url: 'http://alertmanager:9093/' }, null)).toEqual({});
  });
});

describe('a test notification', () => {
  it('is its own alert, labelled test="true"', () => {
    const [test] = alertmanagerAlerts(alertMessage({ action: 'test' }), now);
    const [real] = alertmanagerAlerts(alertMessage(), now);
    expect(test?.labels).toEqual({ ...real?.labels, test: 'true' });
  });
});
