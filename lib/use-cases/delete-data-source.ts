import { authorize, type Actor } from '../auth/authorize';
import { db } from '../db/client';
import { ConflictError } from '../errors';
import { log } from '../log';
import { findDataSourceRow, slosUsingDataSource } from './data-source-records';

/** Refuses while SLOs still read from it: deleting would silently stop their evaluation. */
export async function deleteDataSource({ actor, datasource }: { actor: Actor; datasource: string }): Promise<void> {
  await authorize(actor, 'datasource.delete', { datasource });
  const row = await findDataSourceRow(datasource);
  const using = await slosUsingDataSource(row.slug);
  if (using > 0) throw new ConflictError(`${using} SLO(s) still read from "${row.slug}"; move or delete them first`);
  await db().dataSource.delete({ where: { id: row.id } });
  log.info('datasource.deleted', { datasource, actor: actor.kind });
}
