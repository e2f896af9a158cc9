import { actorName, authorize, type Actor } from '../../auth/authorize';
import { insertDataSource } from '../../db/data-sources';
import { ConflictError, prismaErrorCode } from '../../errors';
import { log } from '../../log';
import type { DataSource, DataSourceInput } from '../../schemas/index';
import { audited } from '../audit/audit';
import { assertAllowedUrl, authColumns, dataSourceTarget, toDataSource } from './data-source-records';

export async function createDataSource({ actor, input }: { actor: Actor; input: DataSourceInput }): Promise<DataSource> {
  await authorize(actor, 'datasource.create', { datasource: input.slug });
  assertAllowedUrl(input.url);
  try {
    const datasource = await audited(actor, async (tx) => {
      const row = await insertDataSource(tx, {
        slug: input.slug,
        name: input.name,
        kind: input.kind,
        url: input.url,
        timeoutMs: input.timeoutSeconds * 1000,
        ...authColumns(input.auth),
      });
      const created = toDataSource(row);
      return { result: created, audit: { action: 'datasource.create', target: dataSourceTarget(row), before: null, after: created } };
    });
    log.info('datasource.created', { datasource: datasource.slug, url: datasource.url, auth: datasource.auth.kind, by: actorName(actor) });
    return datasource;
  } catch (error) {
    if (prismaErrorCode(error) === 'P2002') throw new ConflictError(`A data source with slug "${input.slug}" already exists`, { slug: 'is already taken' });
    throw error;
  }
}
