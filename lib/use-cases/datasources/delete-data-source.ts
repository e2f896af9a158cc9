import { actorName, authorize, type Actor } from '../../auth/authorize';
import { deleteDataSourceRow } from '../../db/data-sources';
import { ConflictError } from '../../errors';
import { log } from '../../log';
import { audited } from '../audit/audit';
import { dataSourceTarget, findDataSourceRow, slosUsingDataSource, toDataSource } from './data-source-records';

/** Refuses while SLOs still read from it: deleting would silently stop their evaluation. */
export async function deleteDataSource({ actor, datasource }: { actor: Actor; datasource: string }): Promise<void> {
  await authorize(actor, 'datasource.delete', { datasource });
  const row = await findDataSourceRow(datasource);
  const using = await slosUsingDataSource(row.slug);
  if (using > 0) throw new ConflictError(`${using} SLO(s) still read from "${row.slug}"; move or delete them first`);
  await audited(actor, async (tx) => {
    await deleteDataSourceRow(tx, row.id);
    return { result: null, audit: { action: 'datasource.delete', target: dataSourceTarget(row), before: toDataSource(row), after: null } };
  });
  log.info('datasource.deleted', { datasource, by: actorName(actor) });
}
