// Notification channels, routes and silences through the API handlers, against the real database: who may change
// what (admins channels; editors their own teams' routes and silences), secrets write-only everywhere (responses,
// lists, the audit trail, the logs), outbound URLs guarded at save, every write audited, and who is paged.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import * as channels from '../../app/api/v1/channels/route';
import * as channelItem from '../../app/api/v1/channels/[channel]/route';
import * as channelTest from '../../app/api/v1/channels/[channel]/test/route';
import * as channelDeliveries from '../../app/api/v1/channels/[channel]/deliveries/route';
import * as routes from '../../app/api/v1/routes/route';
import * as routeItem from '../../app/api/v1/routes/[id]/route';
import * as silences from '../../app/api/v1/silences/route';
import * as silenceItem from '../../app/api/v1/silences/[id]/route';
import * as paging from '../../app/api/v1/services/[service]/paging/route';
import * as eventDeliveries from '../../app/api/v1/alerts/[id]/deliveries/route';
import { db } from '../../lib/db/client';
import { Channel, ChannelTestResult, DeliveryPage, Route, ServicePaging, Silence } from '../../lib/schemas';
import { makeUser, sessionFor } from '../auth';
import { callRoute, makeService, makeSlo, uniqueSlug } from '../factories';

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };
type Handler = Parameters<typeof callRoute>[0];

let receiver: http.Server;
let receiverUrl = '';
const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];

let teamA = '';
let teamB = '';
const as: Record<'viewer' | 'editorA' | 'editorB' | 'admin', Record<string, string>> = { viewer: {}, editorA: {}, editorB: {}, admin: {} };

/** Everything written to stdout and stderr while `work` runs. */
async function captureLogs<T>(work: () => Promise<T>): Promise<{ result: T; logged: string }> {
  const stdout = vi.spyOn(process.stdout, 'write');
  const stderr = vi.spyOn(process.stderr, 'write');
  try {
    const result = await work();
    return { result, logged: [...stdout.mock.calls, ...stderr.mock.calls].map(([line]) => String(line)).join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(202, { 'content-type': 'text/plain' });
      res.end('accepted by the test receiver');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  teamA = uniqueSlug('team');
  teamB = uniqueSlug('team');
  as.viewer = (await sessionFor(await makeUser({ role: 'viewer', teams: [teamA] }))).headers;
  as.editorA = (await sessionFor(await makeUser({ role: 'editor', teams: [teamA] }))).headers;
  as.editorB = (await sessionFor(await makeUser({ role: 'editor', teams: [teamB] }))).headers;
  as.admin = (await sessionFor(await makeUser({ role: 'admin' }))).headers;
});

afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

function call(handler: Handler, init: { method?: string; params?: Record<string, string>; body?: unknown; path?: string; who: keyof typeof as }) {
  return callRoute(handler, { method: init.method, params: init.params, body: init.body, path: init.path, headers: as[init.who] });
}

async function newChannel(
  overrides: Record<string, unknown> = {},
  who: keyof typeof as = 'admin',
): Promise<{ slug: string; secret: string; response: Response }> {
  const slug = uniqueSlug('ch');
  const secret = `whsec-${uniqueSlug('s')}-${uniqueSlug('t')}`;
  const response = await call(channels.POST, {
    method: 'POST',
    who,
    body: { slug, name: `Hook ${slug}`, config: { kind: 'webhook', url: receiverUrl }, secret, ...overrides },
  });
  return { slug, secret, response };
}

function auditsOf(targetType: string, targetId: string) {
  return db().auditEvent.findMany({ where: { targetType, targetId }, orderBy: [{ at: 'asc' }, { seq: 'asc' }] });
}

async function channelId(slug: string): Promise<string> {
  return (await db().notificationChannel.findUniqueOrThrow({ where: { slug } })).id;
}

describe('channels', () => {
  test('an admin adds a webhook channel: the secret is stored encrypted and never appears in a response, a list, the audit trail or a log', async () => {
    const { result, logged } = await captureLogs(async () => {
      const made = await newChannel();
      const fetched = await call(channelItem.GET, { params: { channel: made.slug }, who: 'viewer' });
      const listed = await call(channels.GET, { who: 'viewer' });
      const renamed = await call(channelItem.PATCH, { method: 'PATCH', params: { channel: made.slug }, body: { name: 'Renamed hook' }, who: 'admin' });
      const rekeyed = await call(channelItem.PATCH, { method: 'PATCH', params: { channel: made.slug }, body: { secret: `${made.secret}-2` }, who: 'admin' });
      const tested = await call(channelTest.POST, { method: 'POST', params: { channel: made.slug }, who: 'editorA' });
      const log = await call(channelDeliveries.GET, { params: { channel: made.slug }, who: 'viewer' });
      return { made, fetched, listed, renamed, rekeyed, tested, log };
    });
    const { made, fetched, listed, renamed, rekeyed, tested, log } = result;
    const secrets = [made.secret, `${made.secret}-2`];

    expect(made.response.status).toBe(201);
    const created = Channel.parse(await made.response.json());
    expect(created).toMatchObject({ slug: made.slug, kind: 'webhook', config: { kind: 'webhook', url: receiverUrl }, hasSecret: true });
    for (const [name, response] of Object.entries({ fetched, listed, renamed, rekeyed, tested, log })) {
      // Named, with what it answered: a failure here says which call and why.
      expect(response.status, `${name}: ${await response.clone().text()}`).toBe(200);
      const text = await response.text();
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    expect(Channel.parse(await (await call(channelItem.GET, { params: { channel: made.slug }, who: 'viewer' })).json())).toMatchObject({
      name: 'Renamed hook',
      hasSecret: true,
    });

    const row = await db().notificationChannel.findUniqueOrThrow({ where: { slug: made.slug } });
    expect(row.secret).toBeTruthy();
    for (const secret of secrets) expect(row.secret).not.toContain(secret);

    const audits = await auditsOf('channel', row.id);
    expect(audits.map((a) => a.action)).toEqual(['channel.create', 'channel.update', 'channel.update', 'channel.test']);
    expect(audits[2]!.details).toEqual({ secret: 'replaced' });
    const trail = JSON.stringify(audits, (_, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
    for (const secret of secrets) expect(trail).not.toContain(secret);
    const attempts = JSON.stringify(await db().notificationAttempt.findMany({ where: { notification: { channelId: row.id } } }));
    for (const secret of secrets) expect(attempts).not.toContain(secret);
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });

  test('only admins add, change and delete channels; a viewer or an editor gets 403 and nothing changes', async () => {
    for (const who of ['viewer', 'editorA'] as const) {
      const refused = await newChannel({}, who);
      expect(refused.response.status, who).toBe(403);
      expect(await db().notificationChannel.count({ where: { slug: refused.slug } })).toBe(0);
    }
    const made = await newChannel();
    const id = await channelId(made.slug);
    for (const who of ['viewer', 'editorA'] as const) {
      expect((await call(channelItem.PATCH, { method: 'PATCH', params: { channel: made.slug }, body: { name: 'x' }, who })).status).toBe(403);
      expect((await call(channelItem.DELETE, { method: 'DELETE', params: { channel: made.slug }, who })).status).toBe(403);
    }
    // A viewer may not send tests either; an editor may (see the delivery tests).
    expect((await call(channelTest.POST, { method: 'POST', params: { channel: made.slug }, who: 'viewer' })).status).toBe(403);
    expect((await auditsOf('channel', id)).map((a) => a.action)).toEqual(['channel.create']);
    expect((await call(channelItem.DELETE, { method: 'DELETE', params: { channel: made.slug }, who: 'admin' })).status).toBe(204);
    expect(await db().notificationChannel.count({ where: { slug: made.slug } })).toBe(0);
    expect((await auditsOf('channel', id)).map((a) => a.action)).toEqual(['channel.create', 'channel.delete']);
  });

  test.each([
    ['a link-local webhook URL', { config: { kind: 'webhook', url: 'http://169.254.169.254/latest/meta-data/' } }, 'config.url'],
    ['a link-local Alertmanager URL', { config: { kind: 'alertmanager', url: 'http://169.254.169.254/' } }, 'config.url'],
    ['a cloud-metadata name', { config: { kind: 'webhook', url: 'http://metadata.google.internal/' } }, 'config.url'],
    ['a link-local Slack webhook URL (its secret)', { config: { kind: 'slack' }, secret: 'http://169.254.169.254/services/T/B/x' }, 'secret'],
    ['a link-local SMTP server', { config: { kind: 'email', host: '169.254.169.254', from: 'umpire@example.com', to: ['oncall@example.com'] } }, 'config.host'],
    ['a webhook without its signing secret', { secret: undefined }, 'secret'],
    ['PagerDuty without its routing key', { config: { kind: 'pagerduty' }, secret: undefined }, 'secret'],
  ])('%s is refused with 422 naming the field', async (_, overrides, field) => {
    const refused = await newChannel(overrides);
    expect(refused.response.status).toBe(422);
    const body = (await refused.response.json()) as ErrorBody;
    expect(body.error.code).toBe('unprocessable');
    expect(Object.keys(body.error.fields ?? {})).toContain(field);
    expect(await db().notificationChannel.count({ where: { slug: refused.slug } })).toBe(0);
  });

  test('a PATCH moving the channel to another host without its secret is refused (422 on secret); with the secret it is made', async () => {
    const made = await newChannel();
    const id = await channelId(made.slug);
    const elsewhere = { kind: 'webhook', url: 'http://127.0.0.2:9/hook' };
    const refused = await call(channelItem.PATCH, { method: 'PATCH', params: { channel: made.slug }, body: { config: elsewhere }, who: 'admin' });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as ErrorBody).error.fields).toHaveProperty('secret');
    // Another path on the same server keeps it.
    const samePlace = await call(channelItem.PATCH, {
      method: 'PATCH',
      params: { channel: made.slug },
      body: { config: { kind: 'webhook', url: `${receiverUrl}/v2` } },
      who: 'admin',
    });
    expect(samePlace.status).toBe(200);
    // Another kind needs its own secret too.
    const otherKind = await call(channelItem.PATCH, { method: 'PATCH', params: { channel: made.slug }, body: { config: { kind: 'pagerduty' } }, who: 'admin' });
    expect(otherKind.status).toBe(422);
    const moved = await call(channelItem.PATCH, {
      method: 'PATCH',
      params: { channel: made.slug },
      body: { config: elsewhere, secret: 'new-secret-value' },
      who: 'admin',
    });
    expect(moved.status).toBe(200);
    expect(Channel.parse(await moved.json()).config).toEqual(elsewhere);
    const audits = await auditsOf('channel', id);
    expect(audits.map((a) => a.action)).toEqual(['channel.create', 'channel.update', 'channel.update']);
    expect(audits[2]!.details).toEqual({ secret: 'replaced' });
  });

  test('a channel routes still send to cannot be deleted (409) until they are gone', async () => {
    const made = await newChannel();
    const created = await call(routes.POST, { method: 'POST', body: { team: teamA, channel: made.slug }, who: 'editorA' });
    expect(created.status).toBe(201);
    const route = Route.parse(await created.json());
    expect((await call(channelItem.DELETE, { method: 'DELETE', params: { channel: made.slug }, who: 'admin' })).status).toBe(409);
    expect((await call(routeItem.DELETE, { method: 'DELETE', params: { id: route.id }, who: 'editorA' })).status).toBe(204);
    expect((await call(channelItem.DELETE, { method: 'DELETE', params: { channel: made.slug }, who: 'admin' })).status).toBe(204);
  });
});

describe('test notifications and the delivery log', () => {
  test('a test is recorded as a notification (action test) with its attempt, audited, and listed newest first with paging', async () => {
    const made = await newChannel();
    const id = await channelId(made.slug);
    const results: ChannelTestResult[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await call(channelTest.POST, { method: 'POST', params: { channel: made.slug }, who: 'editorA' });
      expect(response.status).toBe(200);
      results.push(ChannelTestResult.parse(await response.json()));
    }
    const stored = await db().notification.findMany({ where: { channelId: id }, include: { deliveries: true }, orderBy: { createdAt: 'asc' } });
    expect(stored).toHaveLength(3);
    expect(new Set(stored.map((n) => n.idempotencyKey)).size).toBe(3);
    for (const [i, n] of stored.entries()) {
      expect(n).toMatchObject({ action: 'test', attempts: 1, status: results[i]!.ok ? 'delivered' : 'failed', alertEventId: null });
      expect(n.deliveries).toHaveLength(1);
      expect(n.deliveries[0]).toMatchObject({ ok: results[i]!.ok, statusCode: results[i]!.statusCode, response: results[i]!.response });
      const payload = n.payload as { action: string; event: { id: string }; summary: string };
      expect(payload.action).toBe('test');
      expect(payload.event.id).toBe('test');
      expect(payload.summary).toContain(`Hook ${made.slug}`);
    }
    expect((await auditsOf('channel', id)).filter((a) => a.action === 'channel.test')).toHaveLength(3);

    const first = DeliveryPage.parse(await (await call(channelDeliveries.GET, { params: { channel: made.slug }, path: '/?limit=2', who: 'viewer' })).json());
    expect(first.deliveries.map((d) => d.id)).toEqual([results[2]!.delivery, results[1]!.delivery]);
    expect(first.deliveries[0]).toMatchObject({ channel: made.slug, channelKind: 'webhook', action: 'test', attempts: 1, service: null, slo: null });
    expect(first.deliveries[0]!.lastAttempt).toMatchObject({ statusCode: results[2]!.statusCode, response: results[2]!.response });
    expect(first.next).not.toBeNull();
    const second = DeliveryPage.parse(
      await (
        await call(channelDeliveries.GET, { params: { channel: made.slug }, path: `/?limit=2&cursor=${encodeURIComponent(first.next!)}`, who: 'viewer' })
      ).json(),
    );
    expect(second.deliveries.map((d) => d.id)).toEqual([results[0]!.delivery]);
    expect(second.next).toBeNull();
  });

  // Needs the webhook adapter (lib/notify/webhook, written alongside): without it sendToChannel answers
  // "no adapter for channel kind webhook" and this fails.
  test('a test to a webhook channel reaches the receiver and is logged as delivered with its status code and answer', async () => {
    const made = await newChannel();
    const before = received.length;
    const response = await call(channelTest.POST, { method: 'POST', params: { channel: made.slug }, who: 'admin' });
    const result = ChannelTestResult.parse(await response.json());
    expect(result).toMatchObject({ ok: true, statusCode: 202 });
    expect(result.response).toContain('accepted by the test receiver');
    expect(received.length).toBe(before + 1);
    expect(received.at(-1)!.body).toContain(made.slug);
    const stored = await db().notification.findUniqueOrThrow({ where: { id: result.delivery }, include: { deliveries: true } });
    expect(stored).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(stored.deliveredAt).not.toBeNull();
    expect(stored.deliveries[0]).toMatchObject({ ok: true, statusCode: 202 });
  });
});

describe('deliveries of an alert event', () => {
  test('lists what was sent about one alert event to every channel, newest first; an unknown event is 404', async () => {
    const service = await makeService({ ownerTeam: teamA });
    const slo = await makeSlo(service.slug);
    const serviceRow = await db().service.findUniqueOrThrow({ where: { slug: service.slug } });
    const sloRow = await db().slo.findFirstOrThrow({ where: { serviceId: serviceRow.id, slug: slo.slug } });
    const event = await db().alertEvent.create({
      data: { sloId: sloRow.id, serviceId: serviceRow.id, kind: 'burn_rate', severity: 'page', alertKey: 'burn_rate:page:1h/5m', state: 'firing' },
    });
    const [one, two] = [await newChannel(), await newChannel()];
    const payload = { service: { slug: service.slug }, slo: { slug: slo.slug } };
    const older = await db().notification.create({
      data: {
        idempotencyKey: `${event.id}:trigger:${one.slug}`,
        alertEventId: event.id,
        channelId: await channelId(one.slug),
        action: 'trigger',
        payload,
        status: 'delivered',
        attempts: 1,
        createdAt: new Date(Date.now() - 60_000),
        deliveries: { create: [{ ok: true, statusCode: 200, response: 'ok', ms: 12 }] },
      },
    });
    const newer = await db().notification.create({
      data: { idempotencyKey: `${event.id}:trigger:${two.slug}`, alertEventId: event.id, channelId: await channelId(two.slug), action: 'trigger', payload },
    });

    const response = await call(eventDeliveries.GET, { params: { id: event.id }, who: 'viewer' });
    expect(response.status).toBe(200);
    const body = DeliveryPage.parse(await response.json());
    expect(body.deliveries.map((d) => [d.id, d.channel, d.status])).toEqual([
      [newer.id, two.slug, 'pending'],
      [older.id, one.slug, 'delivered'],
    ]);
    expect(body.deliveries[1]).toMatchObject({
      service: service.slug,
      slo: slo.slug,
      alertEventId: event.id,
      lastAttempt: { ok: true, statusCode: 200, response: 'ok' },
    });
    expect(body.deliveries[0]!.lastAttempt).toBeNull();
    expect(body.deliveries[0]!.nextAttemptAt).not.toBeNull();

    const unknown = await call(eventDeliveries.GET, { params: { id: '00000000-0000-4000-8000-000000000000' }, who: 'viewer' });
    expect(unknown.status).toBe(404);
  });
});

describe('routes', () => {
  test('an editor routes their own team’s alerts; an editor of another team and a viewer get 403; admins route any team', async () => {
    const made = await newChannel();
    const body = { team: teamA, channel: made.slug, severities: ['page'] };
    for (const who of ['viewer', 'editorB'] as const) {
      const refused = await call(routes.POST, { method: 'POST', body, who });
      expect(refused.status, who).toBe(403);
    }
    expect(await db().notificationRoute.count({ where: { team: teamA, channel: { slug: made.slug } } })).toBe(0);

    const created = await call(routes.POST, { method: 'POST', body, who: 'editorA' });
    expect(created.status).toBe(201);
    const route = Route.parse(await created.json());
    expect(route).toMatchObject({
      team: teamA,
      channel: made.slug,
      channelName: `Hook ${made.slug}`,
      channelKind: 'webhook',
      severities: ['page'],
      kinds: [],
      services: [],
    });
    const byAdmin = await call(routes.POST, { method: 'POST', body: { team: teamB, channel: made.slug }, who: 'admin' });
    expect(byAdmin.status).toBe(201);

    const listed = await call(routes.GET, { path: `/?team=${teamA}`, who: 'viewer' });
    expect((await listed.json()).routes.map((r: Route) => r.id)).toEqual([route.id]);

    for (const who of ['viewer', 'editorB'] as const) {
      expect((await call(routeItem.DELETE, { method: 'DELETE', params: { id: route.id }, who })).status, who).toBe(403);
    }
    expect((await call(routeItem.DELETE, { method: 'DELETE', params: { id: route.id }, who: 'editorA' })).status).toBe(204);
    expect((await auditsOf('route', route.id)).map((a) => a.action)).toEqual(['route.create', 'route.delete']);
  });

  test('a route to a channel that does not exist is 422 on channel; services of another team are 422 on services', async () => {
    const missing = await call(routes.POST, { method: 'POST', body: { team: teamA, channel: uniqueSlug('nope') }, who: 'editorA' });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as ErrorBody).error.fields).toHaveProperty('channel');
    const made = await newChannel();
    const theirs = await makeService({ ownerTeam: teamB });
    const other = await call(routes.POST, { method: 'POST', body: { team: teamA, channel: made.slug, services: [theirs.slug] }, who: 'editorA' });
    expect(other.status).toBe(422);
    expect(((await other.json()) as ErrorBody).error.fields).toHaveProperty('services');
  });

  test('a route of named SLOs needs exactly their one service, and SLOs it has; made, it lists them', async () => {
    const made = await newChannel();
    const mine = await makeService({ ownerTeam: teamA });
    const slo = await makeSlo(mine.slug);
    const post = (body: Record<string, unknown>) => call(routes.POST, { method: 'POST', body: { team: teamA, channel: made.slug, ...body }, who: 'editorA' });
    const noService = await post({ slos: [slo.slug] });
    expect(noService.status).toBe(422);
    expect(((await noService.json()) as ErrorBody).error.fields).toEqual({ slos: 'name SLOs of one service: give exactly that service in services' });
    const unknown = await post({ services: [mine.slug], slos: [slo.slug, 'nope'] });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as ErrorBody).error.fields).toEqual({ slos: `"nope" is not an SLO of "${mine.slug}"` });
    const created = await post({ services: [mine.slug], slos: [slo.slug] });
    expect(created.status).toBe(201);
    expect(Route.parse(await created.json())).toMatchObject({ services: [mine.slug], slos: [slo.slug], managedBy: null });
  });
});

describe('silences', () => {
  test('an editor of the owner team silences a service and ends it early; another team’s editor and a viewer get 403; all audited with the reason', async () => {
    const service = await makeService({ ownerTeam: teamA });
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    const body = { scope: 'service', service: service.slug, endsAt, reason: 'planned database migration' };
    for (const who of ['viewer', 'editorB'] as const) {
      expect((await call(silences.POST, { method: 'POST', body, who })).status, who).toBe(403);
    }
    // A viewer learns nothing about which services exist.
    const nowhere = await call(silences.POST, { method: 'POST', body: { ...body, service: uniqueSlug('no-such') }, who: 'viewer' });
    expect(nowhere.status).toBe(403);
    const teamSilence = await call(silences.POST, { method: 'POST', body: { scope: 'team', team: teamA, endsAt, reason: 'offsite' }, who: 'editorB' });
    expect(teamSilence.status).toBe(403);

    const created = await call(silences.POST, { method: 'POST', body, who: 'editorA' });
    expect(created.status).toBe(201);
    const silence = Silence.parse(await created.json());
    expect(silence).toMatchObject({ scope: 'service', team: teamA, service: service.slug, slo: null, active: true, reason: 'planned database migration' });
    const active = (await (await call(silences.GET, { who: 'viewer' })).json()).silences as Silence[];
    expect(active.map((s) => s.id)).toContain(silence.id);

    expect((await call(silenceItem.DELETE, { method: 'DELETE', params: { id: silence.id }, who: 'editorB' })).status).toBe(403);
    const ended = await call(silenceItem.DELETE, { method: 'DELETE', params: { id: silence.id }, who: 'editorA' });
    expect(ended.status).toBe(200);
    expect(Silence.parse(await ended.json()).active).toBe(false);
    expect((await call(silenceItem.DELETE, { method: 'DELETE', params: { id: silence.id }, who: 'editorA' })).status).toBe(409);
    const stillActive = (await (await call(silences.GET, { who: 'viewer' })).json()).silences as Silence[];
    expect(stillActive.map((s) => s.id)).not.toContain(silence.id);
    const past = (await (await call(silences.GET, { path: '/?active=false', who: 'viewer' })).json()).silences as Silence[];
    expect(past.map((s) => s.id)).toContain(silence.id);

    const audits = await auditsOf('silence', silence.id);
    expect(audits.map((a) => a.action)).toEqual(['silence.create', 'silence.end']);
    expect(audits[0]!.details).toEqual({ reason: 'planned database migration' });
  });

  test('an SLO silence needs an SLO that exists (422 on slo); a team silence by the team’s editor is made', async () => {
    const service = await makeService({ ownerTeam: teamA });
    const endsAt = new Date(Date.now() + 600_000).toISOString();
    const missing = await call(silences.POST, {
      method: 'POST',
      body: { scope: 'slo', service: service.slug, slo: 'no-such-slo', endsAt, reason: 'x' },
      who: 'editorA',
    });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as ErrorBody).error.fields).toHaveProperty('slo');
    const slo = await makeSlo(service.slug);
    const made = await call(silences.POST, {
      method: 'POST',
      body: { scope: 'slo', service: service.slug, slo: slo.slug, endsAt, reason: 'noisy' },
      who: 'editorA',
    });
    expect(made.status).toBe(201);
    expect(Silence.parse(await made.json())).toMatchObject({ scope: 'slo', service: service.slug, slo: slo.slug });
    const team = await call(silences.POST, { method: 'POST', body: { scope: 'team', team: teamA, endsAt, reason: 'team offsite' }, who: 'editorA' });
    expect(team.status).toBe(201);
  });
});

describe('who is paged', () => {
  test('lists exactly the routes that take the service’s alerts, per severity and kind, with the SLOs labels narrow them to, and active silences', async () => {
    const team = uniqueSlug('team');
    const service = await makeService({ ownerTeam: team });
    const sibling = await makeService({ ownerTeam: team });
    await makeSlo(service.slug, { slug: 'availability', labels: { tier: '1' } });
    await makeSlo(service.slug, { slug: 'latency', labels: { tier: '2' } });
    const pager = await newChannel({ config: { kind: 'webhook', url: receiverUrl } });
    const chat = await newChannel();
    const add = async (body: Record<string, unknown>) => Route.parse(await (await call(routes.POST, { method: 'POST', body, who: 'admin' })).json());
    const everything = await add({ team, channel: chat.slug });
    const pages = await add({ team, channel: pager.slug, severities: ['page'], kinds: ['burn_rate'] });
    const tier1 = await add({ team, channel: pager.slug, labels: { tier: '1' } });
    await add({ team, channel: pager.slug, labels: { tier: '3' } }); // no SLO has it
    await add({ team, channel: pager.slug, services: [sibling.slug] }); // another service
    await add({ team: teamB, channel: pager.slug }); // another team
    const silence = Silence.parse(
      await (
        await call(silences.POST, {
          method: 'POST',
          body: { scope: 'service', service: service.slug, endsAt: new Date(Date.now() + 600_000).toISOString(), reason: 'deploy' },
          who: 'admin',
        })
      ).json(),
    );

    const response = await call(paging.GET, { params: { service: service.slug }, who: 'viewer' });
    expect(response.status).toBe(200);
    const answer = ServicePaging.parse(await response.json());
    expect(answer.team).toBe(team);
    const table = Object.fromEntries(
      answer.paths.map((p) => [
        `${p.severity}/${p.kind}`,
        p.routes.map(
          (r) =>
            `${r.route === everything.id ? 'everything' : r.route === pages.id ? 'pages' : r.route === tier1.id ? 'tier1' : r.route}${r.slos ? `(${r.slos.join(',')})` : ''}`,
        ),
      ]),
    );
    expect(table).toEqual({
      'page/burn_rate': ['everything', 'pages', 'tier1(availability)'],
      'page/data_absent': ['everything', 'tier1(availability)'],
      'page/budget_low': ['everything', 'tier1(availability)'],
      'ticket/burn_rate': ['everything', 'tier1(availability)'],
      'ticket/data_absent': ['everything', 'tier1(availability)'],
      'ticket/budget_low': ['everything', 'tier1(availability)'],
    });
    expect(answer.paths[0]!.routes[1]).toMatchObject({ channel: pager.slug, channelName: `Hook ${pager.slug}`, channelKind: 'webhook' });
    expect(answer.silences.map((s) => s.id)).toEqual([silence.id]);
  });

  test('a service whose team routes nothing has empty paths', async () => {
    const service = await makeService({ ownerTeam: uniqueSlug('team') });
    const answer = ServicePaging.parse(await (await call(paging.GET, { params: { service: service.slug }, who: 'viewer' })).json());
    expect(answer.paths.every((p) => p.routes.length === 0)).toBe(true);
    expect(answer.silences).toEqual([]);
  });
});
