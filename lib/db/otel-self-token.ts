import { db } from './client';

/**
 * Creates the self-observation ingest token's row, or pins an existing one (revoked or not: a revoked row stays
 * revoked) to `serviceNames`. An upsert, as several processes may start at once.
 */
export async function upsertSelfIngestToken(row: {
  name: string;
  prefix: string;
  hash: string;
  scopes: string[];
  serviceNames: string[];
  createdByName: string;
}): Promise<void> {
  const { name, prefix, hash, scopes, serviceNames, createdByName } = row;
  await db().apiToken.upsert({
    where: { hash },
    create: { name, prefix, hash, scopes, serviceNames, createdByName },
    update: { serviceNames },
  });
}
