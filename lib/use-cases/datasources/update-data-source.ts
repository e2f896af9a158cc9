import { actorName, authorize, type Actor } from '../../auth/authorize';
import { lockDataSource, updateDataSourceRow } from '../../db/data-sources';
import { ConflictError, NotFoundError, prismaErrorCode, UnprocessableError } from '../../errors';
import { log } from '../../log';
import type { DataSource, DataSourcePatch } from '../../schemas/index';
import { sameOrigin } from '../../sources/http/outbound';
import { audited } from '../audit/audit';
import { assertAllowedUrl, authColumns, dataSourceTarget, findDataSourceRow, slosUsingDataSource, toDataSource } from './data-source-records';

/**
 * Stored credentials were given for one server: a URL on another scheme, host or port must come with credentials of
 * its own (or `{"kind":"none"}`), or an edit of the URL alone would send them to whoever the new host is.
 */
function assertCredentialsMayFollow(current: { url: string; secret: string | null }, patch: DataSourcePatch): void {
  if (patch.url === undefined || patch.auth !== undefined || current.secret === null || sameOrigin(current.url, patch.url)) return;
  const from = new URL(current.url);
  const to = new URL(patch.url);
  throw new UnprocessableError(
    `The URL moves the data source from ${from.protocol}//${from.host} to ${to.protocol}//${to.host}: send its credentials again in auth (or {"kind":"none"}); the stored ones are only ever sent to the host they were given for`,
    { auth: 'must be sent again: the new host needs the credentials again' },
  );
}

export async function updateDataSource({ actor, datasource, patch }: { actor: Actor; datasource: string; patch: DataSourcePatch }): Promise<DataSource> {
  await authorize(actor, 'datasource.update', { datasource });
  const existing = await findDataSourceRow(datasource);
  if (patch.url !== undefined) assertAllowedUrl(patch.url);
  if (patch.slug !== undefined && patch.slug !== existing.slug) {
    const using = await slosUsingDataSource(existing.slug);
    if (using > 0) throw new ConflictError(`${using} SLO(s) read from "${existing.slug}"; its slug cannot change`, { slug: 'is in use by SLOs' });
  }
  try {
    const updated = await audited(actor, async (tx) => {
      const current = await lockDataSource(tx, existing.id);
      if (!current) throw new NotFoundError(`Data source "${datasource}" does not exist`);
      assertCredentialsMayFollow(current, patch);
      const row = await updateDataSourceRow(tx, existing.id, {
        slug: patch.slug,
        name: patch.name,
        kind: patch.kind,
        url: patch.url,
        timeoutMs: patch.timeoutSeconds === undefined ? undefined : patch.timeoutSeconds * 1000,
        // Leaving auth out keeps the stored credentials: they are write-only and never sent back to edit.
        ...(patch.auth ? authColumns(patch.auth) : {}),
      });
      const after = toDataSource(row);
      // Credentials never enter the trail; that they were replaced does.
      const details = patch.auth ? { credentials: patch.auth.kind === 'none' ? 'removed' : 'replaced' } : undefined;
      return {
        result: after,
        audit: { action: 'datasource.update', target: dataSourceTarget(row), before: toDataSource(current), after, ...(details ? { details } : {}) },
      };
    });
    log.info('datasource.updated', { datasource: updated.slug, fields: Object.keys(patch), by: actorName(actor) });
    return updated;
  } catch (error) {
    if (prismaErrorCode(error) === 'P2002') throw new ConflictError(`A data source with slug "${patch.slug}" already exists`, { slug: 'is already taken' });
    throw error;
  }
}
