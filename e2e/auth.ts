import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where e2e/serve.ts leaves the suite's users and token, per e2e port. */
export function authFile(port: number): string {
  return path.join(os.tmpdir(), `umpire-e2e-auth-${port}.json`);
}

export interface E2eAuth {
  admin: { username: string; password: string };
  editor: { username: string; password: string };
  viewer: { username: string; password: string };
  /** An admin service token: the fixtures' API calls. */
  adminToken: string;
  /** The suite's throwaway database and the server's UMPIRE_SECRET_KEY (e2e/serve.ts), for rows no API makes yet. */
  databaseUrl?: string;
  secretKey?: string;
}

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3107);

/**
 * The server's UMPIRE_REQUEST_TIMEOUT_SECONDS: the suite's own server (e2e/serve.ts) is given a short one for
 * e2e/server-limits.spec.ts; a server of your own (E2E_BASE_URL) has what UMPIRE_REQUEST_TIMEOUT_SECONDS says here,
 * else Umpire's default of 30.
 */
export const E2E_REQUEST_TIMEOUT_SECONDS = process.env.E2E_BASE_URL ? Number(process.env.UMPIRE_REQUEST_TIMEOUT_SECONDS ?? 30) : 10;

/** The admin's browser session, saved by e2e/auth.setup.ts and loaded by every test's page. */
export const ADMIN_STATE = path.join(import.meta.dirname, '.auth', 'admin.json');

export function e2eAuth(): E2eAuth {
  return JSON.parse(readFileSync(authFile(E2E_PORT), 'utf8')) as E2eAuth;
}

/**
 * The identity provider e2e/serve.ts runs beside Umpire (test/oidc/test-idp.ts), and the one account it knows: an
 * editor of team payments by its groups, with no Umpire account until it first signs in.
 */
export const E2E_SSO = {
  provider: 'the test provider',
  login: 'e2e-sso-editor',
  username: 'sso-editor',
  name: 'SSO Editor',
  groups: ['umpire-editors', 'team-payments'],
} as const;

/**
 * A second account at that provider, for someone an admin adds for single sign-on by email (e2e/auth.spec.ts):
 * its own preferred username differs from the one the admin chooses, and the email's case too.
 */
export const E2E_SSO_INVITED = {
  login: 'e2e-sso-invited',
  preferredUsername: 'pat.from.idp',
  email: 'pat.invited@corp.example',
  name: 'Pat at the provider',
} as const;
