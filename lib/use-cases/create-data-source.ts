import { authorize, type Actor } from '../auth/authorize';
import { db, prismaErrorCode } from '../db/client';
import { ConflictError } from '../errors';
import { log } from '../log';
import type { DataSource, DataSourceInput } from '../schemas';
import { assertAllowedUrl, authColumns, toDataSource } from './data-source-records';

export async function createDataSource({ actor, input }: { actor: Actor; input: DataSourceInput }): Promise<DataSource> {
  await authorize(actor, 'datasource.create', { datasource: input.slug });
  assertAllowedUrl(input.url);
  try {
    const row = await db().dataSource.create({
      data: { slug: input.slug, name: input.name, kind: input.kind, url: input.url, timeoutMs: input.timeoutSeconds * 1000, ...authColumns(input.auth) },
    });
    log.info('datasource.created', { datasource: row.slug, url: row.url, auth: row.authKind, actor: actor.kind });
    return toDataSource(row);
  } catch (error) {
    if (prismaErrorCode(error) === 'P2002') throw new ConflictError(`A data source with slug "${input.slug}" already exists`, { slug: 'is already taken' });
    throw error;
  }
}
