import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import * as openapi from '../../app/api/v1/openapi.json/route';
import * as health from '../../app/api/health/route';

const API_DIR = path.resolve(import.meta.dirname, '../../app/api');

/** Every route.ts under app/api as an OpenAPI path, with the HTTP methods it exports. */
function routesOnDisk(): Map<string, string[]> {
  const routes = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry === 'route.ts') {
        const rel = path.relative(API_DIR, dir).split(path.sep);
        if (rel.some((part) => part.startsWith('[...'))) continue; // the JSON 404 catch-all
        if (rel.includes('openapi.json')) continue;
        routes.set('/api/' + rel.map((part) => part.replace(/^\[(.+)\]$/, '{$1}')).join('/'), []);
      }
    }
  };
  walk(API_DIR);
  return routes;
}

describe('GET /api/v1/openapi.json', () => {
  test('is OpenAPI 3.1 and documents every API route there is, with its methods', async () => {
    const response = openapi.GET();
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.keys(doc.paths).sort();
    expect(documented).toEqual([...routesOnDisk().keys()].sort());
    for (const [routePath, item] of Object.entries(doc.paths)) {
      const file = path.join(API_DIR, routePath.replace(/^\/api\//, '').replace(/\{(\w+)\}/g, '[$1]'), 'route.ts');
      const handlers = Object.keys(await import(file)).filter((k) => /^(GET|POST|PATCH|PUT|DELETE)$/.test(k));
      const methods = Object.keys(item)
        .filter((k) => k !== 'parameters')
        .map((m) => m.toUpperCase());
      expect(methods.sort(), routePath).toEqual(handlers.sort());
    }
  });

  test('its request schemas are the ones the routes validate with', async () => {
    const doc = (await openapi.GET().json()) as { components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> } };
    const sloInput = doc.components.schemas.SloInput!;
    expect(Object.keys(sloInput.properties!).sort()).toEqual(
      ['alertPolicy', 'budgeting', 'description', 'labels', 'minEvents', 'name', 'objective', 'sli', 'slug', 'window'].sort(),
    );
    expect(sloInput.required!.sort()).toEqual(['name', 'objective', 'sli', 'slug']);
    expect(doc.components.schemas.ServiceInput!.properties!.tier).toMatchObject({ type: 'integer', minimum: 1, maximum: 3 });
  });
});

describe('GET /api/health', () => {
  test('reports the version, the database as reachable and the mode', async () => {
    const response = await health.GET();
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; version: string; database: { reachable: boolean; mode: string } };
    expect(body.status).toBe('ok');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.database).toMatchObject({ reachable: true, mode: 'external' });
  });
});
