import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

// A browser of its own: the suite's signed-in admin belongs to the other server.
test.use({ storageState: { cookies: [], origins: [] } });

/**
 * The README's run command: `npm start` with no DATABASE_URL runs an embedded PostgreSQL, seeds the demo,
 * serves the production build, and keeps its data across a restart.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
// Its own port (E2E_EMBEDDED_PORT), beside the suite's server; set it when several checkouts run the suite at once.
const PORT = Number(process.env.E2E_EMBEDDED_PORT ?? 3119);
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
  // The first start seeds 90 days of demo history into PGlite: over a minute on two busy cores.
  const deadline = Date.now() + 240_000;
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

/** The first-run setup link `npm start` printed, pointed at the address the test uses. */
function setupLink(output: string): string | null {
  const match = /http:\/\/localhost:\d+\/setup#token=[A-Za-z0-9_-]+/.exec(output);
  return match ? match[0].replace(`http://localhost:${PORT}`, BASE) : null;
}

test('npm start runs on an embedded database with demo data, prints a one-time admin setup link, and keeps it all across a restart', async ({
  page,
  context,
}) => {
  test.setTimeout(360_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'umpire-embedded-'));
  // UMPIRE_DATA_DIR is its pglite/ folder: the secret key and demo token go beside it, in this temporary folder.
  const stateDir = dataDir;
  const started: ChildProcess[] = [];
  try {
    const first = startUmpire(path.join(dataDir, 'pglite'));
    started.push(first.child);
    const health = await waitForHealth(first.output);
    expect(health).toMatchObject({ status: 'ok', database: { mode: 'embedded', reachable: true } });
    expect(first.output()).toContain(`http://localhost:${PORT}`);

    // Nothing is readable or writable before someone signs in, and there is no default password to try.
    expect((await fetch(`${BASE}/api/v1/services`)).status).toBe(401);
    const link = setupLink(first.output());
    expect(link, first.output()).not.toBeNull();

    // The printed link creates the first admin and signs them in.
    await page.goto(link!);
    await expect(page.getByRole('heading', { name: 'Create the first admin' })).toBeVisible();
    await expect(page).toHaveURL(`${BASE}/setup`); // the token left the address bar
    await page.getByLabel('Username').fill('first-admin');
    await page.getByLabel('Name', { exact: true }).fill('First Admin');
    await page.getByLabel('Password', { exact: true }).fill('tangerine submarine orbit');
    await page.getByLabel('Password again').fill('tangerine submarine orbit');
    await page.getByRole('button', { name: 'Create the admin and sign in' }).click();
    // The overview right after start shares PGlite's one connection with the evaluator's first pass: patience.
    await expect(page.getByRole('link', { name: /Checkout API/ })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('link', { name: /First Admin/ })).toBeVisible();
    // The link worked once.
    const again = await fetch(`${BASE}/api/v1/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: new URL(link!).hash.slice('#token='.length),
        username: 'second',
        displayName: 'Second',
        password: 'another long passphrase',
      }),
    });
    expect(again.status).toBe(422);

    const csrf = (await context.cookies(BASE)).find((c) => c.name === 'umpire_csrf')!.value;
    const api = async (url: string) => {
      const response = await page.request.get(`${BASE}${url}`);
      if (!response.ok()) throw new Error(`GET ${url}: ${response.status()} ${await response.text()}`);
      return response;
    };
    const { services } = (await (await api('/api/v1/services')).json()) as { services: Array<{ slug: string; sources: string[] }> };
    expect(services.map((s) => s.slug).sort()).toEqual(['checkout-api', 'notifications', 'payments-gateway', 'search', 'umpire']);
    expect(services.filter((s) => s.slug !== 'umpire').every((s) => s.sources.includes('demo'))).toBe(true);
    expect(services.find((s) => s.slug === 'umpire')!.sources).toEqual(['otel']);

    // The evaluator runs inside the production server: demo buckets are kept current minute by minute.
    await expect
      .poll(
        async () => {
          const status = (await (await api('/api/v1/services/checkout-api/slos/availability/status')).json()) as {
            evaluation: { lastSuccessAt: string | null };
          };
          return status.evaluation.lastSuccessAt ? Date.now() - Date.parse(status.evaluation.lastSuccessAt) : Infinity;
        },
        { timeout: 90_000 },
      )
      .toBeLessThan(120_000);
    expect(first.output()).toContain('"event":"evaluator.pass"');

    // Dogfooding: the demo pushes Umpire's own request metrics to its own /v1/metrics (every 15 s), which
    // feed Umpire's own SLOs.
    await expect
      .poll(
        async () =>
          ((await (await api('/api/v1/services/umpire/slos/availability/status')).json()) as { evaluation: { lastSuccessAt: string | null } }).evaluation
            .lastSuccessAt,
        {
          timeout: 90_000,
        },
      )
      .not.toBeNull();

    // demo:traffic's token, readable by this user only: it may create the demo shop (team "shop") and push metrics.
    const tokenFile = path.join(stateDir, 'demo-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const me = await fetch(`${BASE}/api/v1/me`, { headers: { authorization: `Bearer ${readFileSync(tokenFile, 'utf8').trim()}` } });
    expect(await me.json()).toMatchObject({ kind: 'token', scopes: ['read', 'write', 'ingest'], teams: ['shop'] });

    // A service added now must still be there after a restart, and the demo must not be seeded twice.
    const created = await page.request.post(`${BASE}/api/v1/services`, {
      headers: { 'x-csrf-token': csrf },
      data: { slug: 'kept-across-restart', name: 'Kept', ownerTeam: 'e2e', tier: 3 },
    });
    expect(created.status()).toBe(201);
    expect(await stop(first.child)).toBe(0);

    const second = startUmpire(path.join(dataDir, 'pglite'));
    started.push(second.child);
    await waitForHealth(second.output);
    // The admin exists: no setup link any more; the session survived the restart.
    expect(setupLink(second.output())).toBeNull();
    const after = (await (await api('/api/v1/services')).json()) as { services: Array<{ slug: string }> };
    expect(after.services.map((s) => s.slug).sort()).toEqual(['checkout-api', 'kept-across-restart', 'notifications', 'payments-gateway', 'search', 'umpire']);
    expect(second.output()).not.toContain('seeded the demo');
    expect(await stop(second.child)).toBe(0);
  } finally {
    // A failed step must not leave a server holding the port for the next run.
    for (const child of started) if (child.exitCode === null && child.signalCode === null) await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
