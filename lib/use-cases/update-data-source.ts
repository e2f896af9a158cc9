import { authorize, type Actor } from '../auth/authorize';
import { db, prismaErrorCode } from '../db/client';
import { ConflictError } from '../errors';
import { log } from '../log';
import type { DataSource, DataSourcePatch } from '../schemas';
import { assertAllowedUrl, authColumns, findDataSourceRow, slosUsingDataSource, toDataSource } from './data-source-records';

export async function updateDataSource({ actor, datasource, patch }: { actor: Actor; datasource: string; patch: DataSourcePatch }): Promise<DataSource> {
  await authorize(actor, 'datasource.update', { datasource });
  const existing = await findDataSourceRow(datasource);
  if (patch.url !== undefined) assertAllowedUrl(patch.url);
  if (patch.slug !== undefined && patch.slug !== existing.slug) {
    const using = await slosUsingDataSource(existing.slug);
    if (using > 0) throw new ConflictError(`${using} SLO(s) read from "${existing.slug}"; its slug cannot change`, { slug: 'is in use by SLOs' });
  }
  try {
    const row = await db().dataSource.update({
      where: { id: existing.id },
      data: {
        slug: patch.slug,
        name: patch.name,
        kind: patch.kind,
        url: patch.url,
        timeoutMs: patch.timeoutSeconds === undefined ? undefined : patch.timeoutSeconds * 1000,
        // Leaving auth out keeps the stored credentials: they are write-only and never sent back to edit.
        ...(patch.auth ? authColumns(patch.auth) : {}),
      },
    });
    log.info('datasource.updated', { datasource: row.slug, fields: Object.keys(patch), actor: actor.kind });
    return toDataSource(row);
  } catch (error) {
    if (prismaErrorCode(error) === 'P2002') throw new ConflictError(`A data source with slug "${patch.slug}" already exists`, { slug: 'is already taken' });
    throw error;
  }
}
