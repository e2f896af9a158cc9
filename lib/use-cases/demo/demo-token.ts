import { createHmac } from 'node:crypto';
import { ensureApiTokenRow } from '../../db/api-tokens';
import { hashToken } from '../access/api-tokens';
import { env } from '../../env';

const NAME = 'demo:traffic (local)';
/** The demo shop's team (scripts/demo-traffic/umpire-api.ts): the token changes nothing else. */
const TEAM = 'shop';

/**
 * The API token `npm run demo:traffic` uses next to the embedded demo: it may read, create the demo shop's service and
 * SLOs (write, team "shop" only) and push its metrics (ingest). Derived from UMPIRE_SECRET_KEY, so every start
 * finds the same one; an ordinary, revocable token row. `npm start` writes it to .umpire/demo-token (0600).
 */
export async function ensureLocalDemoToken(): Promise<string> {
  const key = env().UMPIRE_SECRET_KEY;
  if (!key) throw new Error('UMPIRE_SECRET_KEY is not set: the demo token is derived from it');
  const token = `umpire_demo_${createHmac('sha256', key).update('umpire demo-traffic token v1').digest('base64url')}`;
  const hash = hashToken(token);
  await ensureApiTokenRow({
    name: NAME,
    kind: 'service',
    prefix: token.slice(0, 16),
    hash,
    scopes: ['read', 'write', 'ingest'],
    teams: [TEAM],
    createdByName: 'umpire (npm start)',
  });
  return token;
}
