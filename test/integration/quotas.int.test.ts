// Quotas on what requests may create (issue 14: one token created 400 SLOs in 7.7 s): services per instance, SLOs
// per service and per instance, refused with 422 quota_exceeded naming the limit and its setting, checked inside
// the creating transaction so that requests made at once cannot all take the last place.
import { beforeAll, describe, expect, test } from 'vitest';
import * as servicesRoute from '../../app/api/v1/services/route';
import * as slosRoute from '../../app/api/v1/services/[service]/slos/route';
import { db } from '../../lib/db/client';
import { DataSourceInput } from '../../lib/schemas';
import { createDataSource } from '../../lib/use-cases/datasources/create-data-source';
import { makeToken } from '../auth';
import { settingsForEachTest } from '../env';
import { callRoute, makeService, makeSlo, SYSTEM, uniqueSlug } from '../factories';
import { diff, snapshot } from '../security/support';

type ErrorBody = { error: { code: string; message: string; quota?: { name: string; limit: number; setting: string } } };

const setSetting = settingsForEachTest();
const setLimit = (name: 'UMPIRE_MAX_SERVICES' | 'UMPIRE_MAX_SLOS_PER_SERVICE' | 'UMPIRE_MAX_SLOS', value: number) => setSetting(name, String(value));

let datasource = '';
let writer: Record<string, string> = {};
beforeAll(async () => {
  datasource = uniqueSlug('ds');
  await createDataSource({ actor: SYSTEM, input: DataSourceInput.parse({ slug: datasource, name: 'Unreachable', url: 'http://127.0.0.1:9' }) });
  writer = (await makeToken({ scopes: ['read', 'write'] })).headers;
});

const serviceBody = () => ({ slug: uniqueSlug('svc'), name: 'Quota', ownerTeam: 'quota-team', tier: 2 });
const sloBody = () => ({
  slug: uniqueSlug('slo'),
  name: 'Quota',
  objective: 0.99,
  sli: { source: 'prometheus', datasource, kind: 'ratio', badSelector: 'errors_total', totalSelector: 'requests_total' },
});
const postService = () => callRoute(servicesRoute.POST, { method: 'POST', path: '/api/v1/services', body: serviceBody(), headers: writer });
const postSlo = (service: string) =>
  callRoute(slosRoute.POST, { method: 'POST', path: `/api/v1/services/${service}/slos`, params: { service }, body: sloBody(), headers: writer });

async function refusal(response: Response): Promise<ErrorBody['error']> {
  expect(response.status).toBe(422);
  return ((await response.json()) as ErrorBody).error;
}

describe('services', () => {
  test('past UMPIRE_MAX_SERVICES a new service is refused with 422 quota_exceeded, saying the limit and what to do; nothing changes', async () => {
    const limit = (await db().service.count()) + 2;
    setLimit('UMPIRE_MAX_SERVICES', limit);
    expect((await postService()).status).toBe(201);
    expect((await postService()).status).toBe(201);
    const before = await snapshot({ countOnly: ['sli_buckets'] });
    const error = await refusal(await postService());
    expect(error.code).toBe('quota_exceeded');
    expect(error.quota).toEqual({ name: 'services', limit, setting: 'UMPIRE_MAX_SERVICES' });
    expect(error.message).toContain(
      `its limit is ${limit.toLocaleString('en-GB')} services (UMPIRE_MAX_SERVICES): delete services no longer needed, or ask the operator to raise UMPIRE_MAX_SERVICES`,
    );
    expect(diff(before, await snapshot({ countOnly: ['sli_buckets'] }))).toBe('');

    // Raised, it fits again; Umpire itself (the demo seed, the operator's scripts) is not held to it.
    await makeService();
    setLimit('UMPIRE_MAX_SERVICES', limit + 10);
    expect((await postService()).status).toBe(201);
  });

  test('requests made at once cannot all take the last places', async () => {
    const limit = (await db().service.count()) + 3;
    setLimit('UMPIRE_MAX_SERVICES', limit);
    const statuses = await Promise.all(Array.from({ length: 10 }, () => postService().then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 422)).toHaveLength(7);
    expect(await db().service.count()).toBe(limit);
  });
});

describe('SLOs', () => {
  test('past UMPIRE_MAX_SLOS_PER_SERVICE, at once or not, the service takes no more; other services still do', async () => {
    setLimit('UMPIRE_MAX_SLOS_PER_SERVICE', 3);
    const full = await makeService({ ownerTeam: 'quota-team' });
    const statuses = await Promise.all(Array.from({ length: 8 }, () => postSlo(full.slug).then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 422)).toHaveLength(5);
    const error = await refusal(await postSlo(full.slug));
    expect(error).toMatchObject({ code: 'quota_exceeded', quota: { name: 'slos_per_service', limit: 3, setting: 'UMPIRE_MAX_SLOS_PER_SERVICE' } });
    expect(error.message).toContain(`Service “${full.slug}” has 3 SLOs`);
    expect(await db().slo.count({ where: { service: { slug: full.slug } } })).toBe(3);
    const other = await makeService({ ownerTeam: 'quota-team' });
    expect((await postSlo(other.slug)).status).toBe(201);
  });

  test('past UMPIRE_MAX_SLOS no service takes another, even at once from two services', async () => {
    const [a, b] = [await makeService({ ownerTeam: 'quota-team' }), await makeService({ ownerTeam: 'quota-team' })];
    const limit = (await db().slo.count()) + 2;
    setLimit('UMPIRE_MAX_SLOS', limit);
    const statuses = await Promise.all([a, b, a, b, a, b].map((s) => postSlo(s.slug).then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(await db().slo.count()).toBe(limit);
    const before = await snapshot({ countOnly: ['sli_buckets'] });
    const error = await refusal(await postSlo(a.slug));
    expect(error.quota).toEqual({ name: 'slos', limit, setting: 'UMPIRE_MAX_SLOS' });
    expect(diff(before, await snapshot({ countOnly: ['sli_buckets'] }))).toBe('');
    // Umpire itself still may (makeSlo acts as the system).
    await makeSlo(a.slug, { sli: sloBody().sli as never });
  });
});
