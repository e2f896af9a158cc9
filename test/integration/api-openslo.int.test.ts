// The catalogue as OpenSLO v1 (docs/openslo.md): exported by team or service, and a file's plan against the
// catalogue (created, changed field by field, unchanged), with every refusal named; nothing is written by a plan.
import { describe, expect, test } from 'vitest';
import * as exportRoute from '../../app/api/v1/openslo/route';
import * as planRoute from '../../app/api/v1/openslo/plan/route';
import { db } from '../../lib/db/client';
import { makeService, makeSlo, uniqueSlug, callRoute } from '../factories';

const exported = async (query: string) => {
  const response = await callRoute(exportRoute.GET, { path: `/api/v1/openslo${query}` });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
  return response.text();
};

const plan = (yaml: string, contentType = 'application/yaml') =>
  callRoute(planRoute.POST, { method: 'POST', path: '/api/v1/openslo/plan?file=catalogue.yaml', rawBody: yaml, headers: { 'content-type': contentType } });

describe('OpenSLO export and plan', () => {
  test("a service's export plans as unchanged; an edited objective is a change of that field; a new SLO a create", async () => {
    const service = await makeService({ ownerTeam: uniqueSlug('team') });
    const slo = await makeSlo(service.slug, { objective: 0.995, labels: { journey: 'pay' }, alertPolicy: { budgetLowShare: 0.1 } });
    const yaml = await exported(`?service=${service.slug}`);
    expect(yaml).toContain('apiVersion: openslo/v1');
    expect(yaml).toContain(`name: ${service.slug}`);

    const same = await plan(yaml);
    expect(same.status, await same.clone().text()).toBe(200);
    const steps = ((await same.json()) as { steps: Array<{ kind: string; name: string; action: string; fields: string[] }> }).steps;
    expect(steps.map(({ kind, name, action, fields }) => ({ kind, name, action, fields }))).toEqual([
      { kind: 'service', name: service.slug, action: 'unchanged', fields: [] },
      { kind: 'slo', name: `${service.slug}/${slo.slug}`, action: 'unchanged', fields: [] },
    ]);

    const edited = yaml.replace(/target: 0\.995/, 'target: 0.999');
    expect(edited).not.toBe(yaml);
    const changed = (await (await plan(edited)).json()) as { steps: Array<{ name: string; action: string; fields: string[] }> };
    expect(changed.steps.find((s) => s.name === `${service.slug}/${slo.slug}`)).toMatchObject({ action: 'change', fields: ['objective'] });

    const renamed = yaml.replaceAll(service.slug, `${service.slug}-copy`);
    const created = (await (await plan(renamed)).json()) as { steps: Array<{ action: string }> };
    expect(created.steps.map((s) => s.action)).toEqual(['create', 'create']);
    // A plan writes nothing.
    expect(await db().service.count({ where: { slug: `${service.slug}-copy` } })).toBe(0);
  });

  test("a team's export holds its services only", async () => {
    const team = uniqueSlug('team');
    const mine = await makeService({ ownerTeam: team });
    const other = await makeService();
    const yaml = await exported(`?team=${team}`);
    expect(yaml).toContain(`name: ${mine.slug}`);
    expect(yaml).not.toContain(other.slug);
  });

  test('a refused file is a 422 naming each document and field; not YAML is a 415; a bad filter a 400', async () => {
    const refused = await plan('apiVersion: openslo/v1\nkind: Widget\nmetadata:\n  name: x\n');
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { error: { code: string; errors: string[] } };
    expect(body.error.code).toBe('invalid_openslo');
    expect(body.error.errors.length).toBeGreaterThan(0);
    expect(body.error.errors[0]).toContain('catalogue.yaml#1');
    expect((await plan('{}', 'application/json')).status).toBe(415);
    expect((await callRoute(exportRoute.GET, { path: '/api/v1/openslo?service=Not%20A%20Slug' })).status).toBe(400);
  });
});
