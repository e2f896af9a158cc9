import { describe, expect, test } from 'vitest';
import * as collection from '../../app/api/v1/services/route';
import * as item from '../../app/api/v1/services/[service]/route';
import * as slos from '../../app/api/v1/services/[service]/slos/route';
import { db } from '../../lib/db/client';
import { callRoute, constantBuckets, fillHistory, makeService, makeSloWithBuckets, uniqueSlug } from '../factories';

const validService = () => ({
  slug: uniqueSlug('api'),
  name: 'Orders API',
  ownerTeam: 'orders',
  tier: 1,
  description: 'Takes orders',
  links: { runbook: 'https://runbooks.example.com/orders', onCall: '' },
});

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

describe('POST /api/v1/services', () => {
  test('creates a service and returns it with 201 and its location', async () => {
    const input = validService();
    const response = await callRoute(collection.POST, { method: 'POST', path: '/api/v1/services', body: input });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/api/v1/services/${input.slug}`);
    const body = await json(response);
    expect(body).toMatchObject({ slug: input.slug, name: 'Orders API', ownerTeam: 'orders', tier: 1, description: 'Takes orders' });
    // An empty link field means "no link", not an empty string.
    expect(body.links).toEqual({ runbook: 'https://runbooks.example.com/orders' });
    const stored = await db().service.findUnique({ where: { slug: input.slug } });
    expect(stored?.runbookUrl).toBe('https://runbooks.example.com/orders');
    expect(stored?.onCallUrl).toBeNull();
  });

  test.each([
    ['an empty name', { name: '' }, 'name', 'is required'],
    ['a slug with capitals and spaces', { slug: 'Bad Slug!' }, 'slug', 'lowercase'],
    ['tier 4', { tier: 4 }, 'tier', 'must be 1, 2 or 3'],
    ['tier as text', { tier: 'one' }, 'tier', 'must be 1, 2 or 3'],
    ['a javascript: link', { links: { runbook: 'javascript:alert(1)' } }, 'links.runbook', 'http(s) URL'],
    ['an unknown field', { colour: 'red' }, '_', 'colour'],
  ])('refuses %s with 400 naming the field', async (_label, change, field, message) => {
    const response = await callRoute(collection.POST, { method: 'POST', body: { ...validService(), ...change } });
    expect(response.status).toBe(400);
    const body = (await json(response)) as { error: { code: string; message: string; fields: Record<string, string> } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.fields[field]).toContain(message);
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/);
  });

  test('refuses a duplicate slug with 409 on the slug field, and keeps the first service', async () => {
    const first = await makeService({ name: 'First' });
    const response = await callRoute(collection.POST, { method: 'POST', body: { ...validService(), slug: first.slug, name: 'Second' } });
    expect(response.status).toBe(409);
    const body = (await json(response)) as { error: { code: string; fields: Record<string, string> } };
    expect(body.error).toMatchObject({ code: 'conflict', fields: { slug: 'is already taken' } });
    expect((await db().service.findUnique({ where: { slug: first.slug } }))?.name).toBe('First');
  });

  test('refuses malformed JSON with 400, other media types with 415 and huge bodies with 413', async () => {
    const malformed = await callRoute(collection.POST, { method: 'POST', rawBody: '{"slug":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(((await json(malformed)) as { error: { code: string } }).error.code).toBe('invalid_json');

    const form = await callRoute(collection.POST, { method: 'POST', rawBody: 'slug=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);

    const huge = await callRoute(collection.POST, {
      method: 'POST',
      rawBody: JSON.stringify({ ...validService(), description: 'x'.repeat(1_100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
  });
});

describe('GET /api/v1/services', () => {
  test('lists services in trouble first and filters by team, tier and text', async () => {
    const team = uniqueSlug('team');
    const AS_OF = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const day = 86_400_000;
    // Healthy: no errors. In trouble: 1% errors on 99.9% burns 10x and overspends the budget.
    const healthy = await makeSloWithBuckets(constantBuckets(new Date(AS_OF.getTime() - 2 * day), AS_OF, 10, 0));
    const troubled = await makeSloWithBuckets(constantBuckets(new Date(AS_OF.getTime() - 2 * day), AS_OF, 10, 0.01));
    await db().service.updateMany({ where: { slug: { in: [healthy.serviceSlug, troubled.serviceSlug] } }, data: { ownerTeam: team } });
    await db().service.update({ where: { slug: troubled.serviceSlug }, data: { tier: 1, name: 'Zebra troubled' } });
    await db().service.update({ where: { slug: healthy.serviceSlug }, data: { tier: 3, name: 'Aardvark healthy' } });

    const response = await callRoute(collection.GET, { path: `/api/v1/services?team=${team}` });
    expect(response.status).toBe(200);
    const { services } = (await json(response)) as {
      services: Array<{ slug: string; health: string; worstBudgetRemaining: number | null; sources: string[]; staleSlos: number }>;
    };
    expect(services.map((s) => s.slug)).toEqual([troubled.serviceSlug, healthy.serviceSlug]);
    expect(services[0]!.worstBudgetRemaining!).toBeLessThan(0);
    // Burn 10 everywhere: above the 6h/30m page tier's 6, below the 1h/5m tier's 14.4.
    expect(services[0]!.health).toBe('page');
    expect(services[1]!.worstBudgetRemaining).toBe(1);
    expect(services[1]!.sources).toEqual(['demo']);
    expect(services.map((s) => s.staleSlos)).toEqual([0, 0]);

    // An SLO whose source is failing is counted as stale on its service.
    await db().sloEvaluation.upsert({
      where: { sloId: healthy.id },
      create: { sloId: healthy.id, staleSince: new Date(AS_OF.getTime() - 600_000), lastError: 'down', lastErrorKind: 'unreachable' },
      update: { staleSince: new Date(AS_OF.getTime() - 600_000) },
    });
    const stale = (await json(await callRoute(collection.GET, { path: `/api/v1/services?team=${team}` }))) as {
      services: Array<{ slug: string; staleSlos: number }>;
    };
    expect(stale.services.find((s) => s.slug === healthy.serviceSlug)?.staleSlos).toBe(1);

    const tier3 = (await json(await callRoute(collection.GET, { path: `/api/v1/services?team=${team}&tier=3` }))) as { services: Array<{ slug: string }> };
    expect(tier3.services.map((s) => s.slug)).toEqual([healthy.serviceSlug]);
    const search = (await json(await callRoute(collection.GET, { path: `/api/v1/services?team=${team}&q=zebra` }))) as { services: Array<{ slug: string }> };
    expect(search.services.map((s) => s.slug)).toEqual([troubled.serviceSlug]);

    const badTier = await callRoute(collection.GET, { path: '/api/v1/services?tier=7' });
    expect(badTier.status).toBe(400);
  });
});

describe('/api/v1/services/{service}', () => {
  test('gets, patches and deletes a service; deleting takes its SLOs and buckets with it', async () => {
    const service = await makeService();
    const params = { service: service.slug };
    expect((await callRoute(item.GET, { params })).status).toBe(200);

    const patched = await callRoute(item.PATCH, { method: 'PATCH', params, body: { name: 'Renamed', tier: 3 } });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({ slug: service.slug, name: 'Renamed', tier: 3, ownerTeam: service.ownerTeam });

    const emptyPatch = await callRoute(item.PATCH, { method: 'PATCH', params, body: {} });
    expect(emptyPatch.status).toBe(400);

    const created = await callRoute(slos.POST, {
      method: 'POST',
      params,
      body: { slug: 'avail', name: 'Availability', objective: 0.99, sli: { source: 'demo', profile: 'availability' } },
    });
    expect(created.status).toBe(201);
    await fillHistory(service.slug, 'avail');
    const sloRow = await db().slo.findFirst({ where: { service: { slug: service.slug } } });
    expect(await db().sliBucket.count({ where: { sloId: sloRow!.id } })).toBeGreaterThan(0);

    expect((await callRoute(item.DELETE, { method: 'DELETE', params })).status).toBe(204);
    expect((await callRoute(item.GET, { params })).status).toBe(404);
    expect(await db().slo.count({ where: { id: sloRow!.id } })).toBe(0);
    expect(await db().sliBucket.count({ where: { sloId: sloRow!.id } })).toBe(0);
  });

  test('answers 404 in the error shape for a service that does not exist', async () => {
    const response = await callRoute(item.GET, { params: { service: 'no-such-service' } });
    expect(response.status).toBe(404);
    expect(await json(response)).toEqual({ error: { code: 'not_found', message: 'Service "no-such-service" does not exist' } });
    expect((await callRoute(item.PATCH, { method: 'PATCH', params: { service: 'no-such-service' }, body: { name: 'x' } })).status).toBe(404);
    expect((await callRoute(item.DELETE, { method: 'DELETE', params: { service: 'no-such-service' } })).status).toBe(404);
  });

  test('renaming to a taken slug is a 409 and changes nothing', async () => {
    const a = await makeService();
    const b = await makeService();
    const response = await callRoute(item.PATCH, { method: 'PATCH', params: { service: b.slug }, body: { slug: a.slug, name: 'Changed' } });
    expect(response.status).toBe(409);
    expect((await db().service.findUnique({ where: { slug: b.slug } }))?.name).toBe(b.name);
  });
});
