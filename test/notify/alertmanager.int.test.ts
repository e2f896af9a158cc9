import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { alertMessage } from '../../lib/notify/message.fixture';
import { sendToChannel } from '../../lib/notify/send';
import type { AlertMessage, ChannelTarget } from '../../lib/notify/types';
import { startAlertmanager, type RunningAlertmanager } from './alertmanager-harness';

// A real Alertmanager receiving Umpire's alerts: what it stores, how its own silences and inhibition act on the labels
// Umpire sets. Routing goes to a receiver with no integrations: only the API's view is checked.
const CONFIG = `
route:
  receiver: blackhole
  group_by: [alertname, service, slo]
receivers:
  - name: blackhole
inhibit_rules:
  # A page silences the ticket of the same SLO (docs/notifications.md).
  - source_matchers: ['severity="page"']
    target_matchers: ['severity="ticket"']
    equal: [service, slo, kind]
`;

/** An alert as GET /api/v2/alerts returns it (gettableAlert), the parts checked here. */
const GettableAlert = z.object({
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  startsAt: z.string(),
  endsAt: z.string(),
  generatorURL: z.string().optional(),
  fingerprint: z.string(),
  status: z.object({ state: z.enum(['unprocessed', 'active', 'suppressed']), silencedBy: z.array(z.string()), inhibitedBy: z.array(z.string()) }),
});

let am: RunningAlertmanager;
let target: ChannelTarget;
beforeAll(async () => {
  am = await startAlertmanager(CONFIG);
  target = { slug: 'am', config: { kind: 'alertmanager', url: am.url }, secret: null };
});
afterAll(async () => am?.close());

async function alertsFor(slo: string) {
  const response = await fetch(`${am.url}/api/v2/alerts?filter=${encodeURIComponent(`slo="${slo}"`)}`);
  expect(response.status).toBe(200);
  return z.array(GettableAlert).parse(await response.json());
}

function messageFor(slo: string, overrides: Parameters<typeof alertMessage>[0] = {}): AlertMessage {
  const base = alertMessage(overrides);
  return {
    ...base,
    slo: { ...base.slo, slug: slo },
    event: { ...base.event, startedAt: new Date(Date.now() - 120_000).toISOString(), groupKey: `umpire/checkout-api/${slo}/burn_rate/${base.event.severity}` },
  };
}

describe('a real Alertmanager', () => {
  it('stores a trigger with its labels and annotations, active until four minutes from now', async () => {
    const slo = `avail-${randomUUID().slice(0, 8)}`;
    const sentAt = Date.now();
    expect(await sendToChannel(target, messageFor(slo))).toEqual({ ok: true, statusCode: 200, response: 'HTTP 200', retryable: false });
    const [alert, ...rest] = await alertsFor(slo);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      labels: {
        alertname: 'SLOBurnRatePage',
        severity: 'page',
        service: 'checkout-api',
        slo,
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
      generatorURL: 'https://umpire.example.com/services/checkout-api/slos/availability',
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    });
    const endsAt = Date.parse(alert!.endsAt);
    expect(endsAt).toBeGreaterThanOrEqual(sentAt + 4 * 60_000 - 1000);
    expect(endsAt).toBeLessThanOrEqual(Date.now() + 4 * 60_000 + 1000);
  });

  it('an Alertmanager silence on slo=<slug> suppresses it; a resolve takes it out of the active alerts', async () => {
    const slo = `avail-${randomUUID().slice(0, 8)}`;
    expect(await sendToChannel(target, messageFor(slo))).toMatchObject({ ok: true });
    const created = await fetch(`${am.url}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'slo', value: slo, isRegex: false, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        createdBy: 'umpire-test',
        comment: 'maintenance',
      }),
    });
    expect(created.status).toBe(200);
    const { silenceID } = z.object({ silenceID: z.string() }).parse(await created.json());
    const [silenced] = await alertsFor(slo);
    expect(silenced?.status).toEqual({ state: 'suppressed', silencedBy: [silenceID], inhibitedBy: [] });

    // A repeat replaces the annotations and keeps the same alert (same labels, same fingerprint).
    expect(await sendToChannel(target, messageFor(slo, { action: 'repeat', summary: 'still burning' }))).toMatchObject({ ok: true });
    const [repeated, ...others] = await alertsFor(slo);
    expect(others).toEqual([]);
    expect(repeated).toMatchObject({ fingerprint: silenced!.fingerprint, annotations: { summary: 'still burning' } });

    expect(await sendToChannel(target, messageFor(slo, { action: 'resolve' }))).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await alertsFor(slo)).toEqual([]);
  });

  it('inhibition on the labels: a firing page holds the ticket of the same SLO', async () => {
    const slo = `avail-${randomUUID().slice(0, 8)}`;
    const ticket = messageFor(slo, { event: { severity: 'ticket', alertName: 'SLOBurnRateTicket', longWindow: '6h', shortWindow: '30m', threshold: 6 } });
    expect(await sendToChannel(target, ticket)).toMatchObject({ ok: true });
    expect((await alertsFor(slo))[0]?.status.state).toBe('active');
    expect(await sendToChannel(target, messageFor(slo))).toMatchObject({ ok: true });
    const alerts = await alertsFor(slo);
    const page = alerts.find((a) => a.labels.severity === 'page');
    expect(alerts.find((a) => a.labels.severity === 'ticket')?.status).toEqual({ state: 'suppressed', silencedBy: [], inhibitedBy: [page!.fingerprint] });
  });

  it('answers 400 to an alert it cannot take: final', async () => {
    const bad = messageFor(`avail-${randomUUID().slice(0, 8)}`, { action: 'resolve', event: { endedAt: '2000-01-01T00:00:00.000Z' } });
    const result = await sendToChannel(target, bad);
    expect(result).toMatchObject({ ok: false, statusCode: 400, retryable: false });
    expect(result.response).toMatch(/start time must be before end time/);
  });
});
