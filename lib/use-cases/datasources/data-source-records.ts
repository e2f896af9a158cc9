import { decryptSecret, encryptSecret } from '../../crypto/secrets';
import { countSlosUsingDataSource, findDataSourceBySlug } from '../../db/data-sources';
import type { DataSource as DataSourceRow } from '../../db/generated/client';
import { NotFoundError, UnprocessableError } from '../../errors';
import type { DataSource, DataSourceAuthInput } from '../../schemas/index';
import { outboundFetch, outboundPolicyFromEnv, outboundUrlProblem } from '../../sources/http/outbound';
import { PrometheusClient } from '../../sources/prometheus/client';

export function toDataSource(row: DataSourceRow): DataSource {
  const headerNames = Array.isArray(row.authHeaderNames) ? (row.authHeaderNames as string[]) : [];
  return {
    slug: row.slug,
    name: row.name,
    kind: 'prometheus',
    url: row.url,
    auth: {
      kind: row.authKind as DataSource['auth']['kind'],
      ...(row.authUsername ? { username: row.authUsername } : {}),
      ...(row.authKind === 'headers' ? { headerNames } : {}),
      hasSecret: row.secret !== null,
    },
    timeoutSeconds: row.timeoutMs / 1000,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** How the audit trail names a data source. */
export function dataSourceTarget(row: Pick<DataSourceRow, 'id' | 'slug'>): { type: 'datasource'; id: string; name: string } {
  return { type: 'datasource', id: row.id, name: row.slug };
}

/** The columns for an auth input: the secret part encrypted, the rest in the clear. */
export function authColumns(auth: DataSourceAuthInput): {
  authKind: string;
  authUsername: string | null;
  authHeaderNames: string[];
  secret: string | null;
} {
  try {
    switch (auth.kind) {
      case 'none':
        return { authKind: 'none', authUsername: null, authHeaderNames: [], secret: null };
      case 'bearer':
        return { authKind: 'bearer', authUsername: null, authHeaderNames: [], secret: encryptSecret(auth.token) };
      case 'basic':
        return { authKind: 'basic', authUsername: auth.username, authHeaderNames: [], secret: encryptSecret(auth.password) };
      case 'headers':
        return { authKind: 'headers', authUsername: null, authHeaderNames: Object.keys(auth.headers), secret: encryptSecret(JSON.stringify(auth.headers)) };
    }
  } catch (error) {
    throw new UnprocessableError(error instanceof Error ? error.message : String(error), { auth: 'cannot be stored without UMPIRE_SECRET_KEY' });
  }
}

/** Refuses URLs the server must not request on a user's behalf (SSRF), naming the field. */
export function assertAllowedUrl(url: string): void {
  const problem = outboundUrlProblem(url, outboundPolicyFromEnv());
  if (problem) throw new UnprocessableError(`The data source URL is not allowed: ${problem}`, { url: problem });
}

export async function findDataSourceRow(slug: string): Promise<DataSourceRow> {
  const row = await findDataSourceBySlug(slug);
  if (!row) throw new NotFoundError(`Data source "${slug}" does not exist`);
  return row;
}

function authHeaders(row: DataSourceRow): Record<string, string> {
  if (!row.secret) return {};
  const secret = decryptSecret(row.secret);
  switch (row.authKind) {
    case 'bearer':
      return { authorization: `Bearer ${secret}` };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${row.authUsername ?? ''}:${secret}`).toString('base64')}` };
    case 'headers':
      return JSON.parse(secret) as Record<string, string>;
    default:
      return {};
  }
}

/** A client for the data source, going through the outbound guard; credentials live only in its headers. */
export function prometheusClientFor(row: DataSourceRow): PrometheusClient {
  return new PrometheusClient({
    baseUrl: row.url,
    headers: authHeaders(row),
    timeoutMs: row.timeoutMs,
    fetchImpl: outboundFetch(outboundPolicyFromEnv(), { datasource: row.slug }),
  });
}

/** SLOs whose SLI reads from the data source. */
export async function slosUsingDataSource(slug: string): Promise<number> {
  return countSlosUsingDataSource(slug);
}
