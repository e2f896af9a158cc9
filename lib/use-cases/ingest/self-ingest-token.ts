import { createHmac } from 'node:crypto';
import { upsertSelfIngestToken } from '../../db/api-tokens';
import { selfServiceName } from '../../telemetry/self-service-name';
import { hashToken, invalidateVerifiedTokens } from '../access/api-tokens';
import { env } from '../../env';

const NAME = 'Umpire self-observation';

/**
 * The ingest token Umpire's own telemetry uses to push to its own OTLP receiver. Derived from
 * UMPIRE_SECRET_KEY (so every process of one deployment derives the same one and nothing secret is stored),
 * its hash kept as an ordinary, revocable token row. Revoking it stops self-observation until the key changes.
 * Pinned, at every start, to the service.name Umpire's telemetry carries: it feeds SLOs on Umpire's own points
 * only, whichever team owns them: the one token Umpire makes for itself feeds no other service's SLOs.
 */
export async function ensureSelfIngestToken(): Promise<string> {
  const key = env().UMPIRE_SECRET_KEY;
  if (!key) throw new Error('UMPIRE_SECRET_KEY is not set: self-observation needs it to derive its ingest token');
  const token = `umpire_self_${createHmac('sha256', key).update('umpire self-observation ingest token v1').digest('base64url')}`;
  const hash = hashToken(token);
  // Several processes may start at once: an upsert, not find-then-create. A revoked row stays revoked.
  const serviceNames = [selfServiceName(process.env)];
  await upsertSelfIngestToken({ name: NAME, prefix: token.slice(0, 16), hash, scopes: ['ingest'], serviceNames, createdByName: 'umpire (self-observation)' });
  invalidateVerifiedTokens();
  return token;
}
