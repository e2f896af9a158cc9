import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/**
 * The README's run command: `npm start` with no DATABASE_URL runs an embedded PostgreSQL, seeds the demo,
 * serves the production build, and keeps its data across a restart.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const PORT = 3119;
const BASE = `http://127.0.0.1:${PORT}`;

function startUmpire(dataDir: string): { child: ChildProcess; output: () => string } {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), UMPIRE_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' };
  delete env.DATABASE_URL;
  delete env.UMPIRE_SEED_DEMO;
  // As `npm start` runs it: node with tsx's loader, so SIGTERM reaches start.ts itself (the tsx CLI relays
  // signals and, when the child is busy, can exit 143 on its own before the child has stopped).
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitForHealth(output: () => string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${BASE}/api/health`);
      if (response.ok) return (await response.json()) as Record<string, unknown>;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Umpire did not become healthy; it printed:\n${output()}`);
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

test.describe.configure({ mode: 'serial' });

test('npm start runs on an embedded database with demo data, and keeps it across a restart', async ({ page }) => {
  test.setTimeout(360_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'umpire-embedded-'));
  try {
    const first = startUmpire(dataDir);
    const health = await waitForHealth(first.output);
    expect(health).toMatchObject({ status: 'ok', database: { mode: 'embedded', reachable: true } });
    expect(first.output()).toContain(`http://localhost:${PORT}`);

    const { services } = (await (await fetch(`${BASE}/api/v1/services`)).json()) as { services: Array<{ slug: string; sources: string[] }> };
    expect(services.map((s) => s.slug).sort()).toEqual(['checkout-api', 'notifications', 'payments-gateway', 'search', 'umpire']);
    expect(services.filter((s) => s.slug !== 'umpire').every((s) => s.sources.includes('demo'))).toBe(true);
    expect(services.find((s) => s.slug === 'umpire')!.sources).toEqual(['otel']);

    // The evaluator runs inside the production server: demo buckets are kept current minute by minute.
    await expect
      .poll(async () => {
        const status = (await (await fetch(`${BASE}/api/v1/services/checkout-api/slos/availability/status`)).json()) as {
          evaluation: { lastSuccessAt: string | null };
        };
        return status.evaluation.lastSuccessAt ? Date.now() - Date.parse(status.evaluation.lastSuccessAt) : Infinity;
      }, { timeout: 90_000 })
      .toBeLessThan(120_000);
    expect(first.output()).toContain('"event":"evaluator.pass"');

    // Dogfooding: the demo pushes Umpire's own request metrics to its own /v1/metrics (every 15 s), which
    // feed Umpire's own SLOs.
    await expect
      .poll(async () => {
        const status = (await (await fetch(`${BASE}/api/v1/services/umpire/slos/availability/status`)).json()) as {
          evaluation: { lastSuccessAt: string | null };
        };
        return status.evaluation.lastSuccessAt;
      }, { timeout: 90_000 })
      .not.toBeNull();

    await page.goto(BASE);
    await expect(page.getByRole('link', { name: /Checkout API/ })).toBeVisible();

    // A service added now must still be there after a restart, and the demo must not be seeded twice.
    const created = await fetch(`${BASE}/api/v1/services`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'kept-across-restart', name: 'Kept', ownerTeam: 'e2e', tier: 3 }),
    });
    expect(created.status).toBe(201);
    expect(await stop(first.child)).toBe(0);

    const second = startUmpire(dataDir);
    await waitForHealth(second.output);
    const after = (await (await fetch(`${BASE}/api/v1/services`)).json()) as { services: Array<{ slug: string }> };
    expect(after.services.map((s) => s.slug).sort()).toEqual(['checkout-api', 'kept-across-restart', 'notifications', 'payments-gateway', 'search', 'umpire']);
    expect(second.output()).not.toContain('seeded the demo');
    expect(await stop(second.child)).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
