import { createHmac } from 'node:crypto';
import { db } from '../db/client';
import { hashToken } from './api-tokens';

const NAME = 'Umpire self-observation';

/**
 * The ingest token Umpire's own telemetry uses to push to its own OTLP receiver. Derived from
 * UMPIRE_SECRET_KEY (so every process of one deployment derives the same one and nothing secret is stored),
 * its hash kept as an ordinary, revocable token row. Revoking it stops self-observation until the key changes.
 */
export async function ensureSelfIngestToken(): Promise<string> {
  const key = process.env.UMPIRE_SECRET_KEY;
  if (!key) throw new Error('UMPIRE_SECRET_KEY is not set: self-observation needs it to derive its ingest token');
  const token = `umpire_self_${createHmac('sha256', key).update('umpire self-observation ingest token v1').digest('base64url')}`;
  const hash = hashToken(token);
  // Several processes may start at once: an upsert, not find-then-create. A revoked row stays revoked.
  await db().apiToken.upsert({ where: { hash }, create: { name: NAME, prefix: token.slice(0, 16), hash, scopes: ['ingest'], createdByName: 'umpire (self-observation)' }, update: {} });
  return token;
}
