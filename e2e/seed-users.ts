/**
 * The e2e suite's people, made in its throwaway database before the server starts (run by e2e/serve.ts):
 * an admin, an editor of team "e2e-editors" and a viewer, each with a random password, and an admin service
 * token for the API calls fixtures make. Written to the file E2E_AUTH_FILE names (see e2e/auth.ts).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { systemActor } from '../lib/auth/authorize';
import { db } from '../lib/db/client';
import { TokenInput, UserInput } from '../lib/schemas';
import { createApiToken } from '../lib/use-cases/access/api-tokens';
import { createUser } from '../lib/use-cases/access/users';

const SYSTEM = systemActor('e2e seed');

async function main(): Promise<void> {
  const file = process.env.E2E_AUTH_FILE;
  if (!file) throw new Error('E2E_AUTH_FILE is required');
  const people: Record<string, { username: string; password: string }> = {};
  for (const [role, teams] of [
    ['admin', []],
    ['editor', ['e2e-editors']],
    ['viewer', []],
  ] as const) {
    const username = `e2e-${role}`;
    const password = `e2e ${randomBytes(12).toString('base64url')}`;
    await createUser({ actor: SYSTEM, input: UserInput.parse({ username, displayName: `E2E ${role}`, role, teams, password }), origin: 'http://localhost' });
    people[role] = { username, password };
  }
  // Every scope: the specs mint ingest tokens with it, and a token mints only within its own scopes.
  const token = await createApiToken({
    actor: SYSTEM,
    input: TokenInput.parse({ name: 'e2e fixtures', kind: 'service', scopes: ['read', 'write', 'gate', 'ingest', 'admin'] }),
  });
  // The throwaway database and the server's secret key: for what the API cannot make yet (e2e/alerts.spec.ts).
  const server = { databaseUrl: process.env.DATABASE_URL, secretKey: process.env.UMPIRE_SECRET_KEY };
  writeFileSync(file, JSON.stringify({ ...people, adminToken: token.token, ...server }), { mode: 0o600 });
  await db().$disconnect();
}

main().catch((error: unknown) => {
  process.stderr.write(`seed-users: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
