import type { Metadata } from 'next';
import Link from 'next/link';
import { ConnectionTestButton } from '@/components/datasources/connection-test';
import { AUTH_LABEL } from '@/components/datasources/auth-label';
import { can } from '@/lib/auth/permissions';
import { requireReader } from '@/lib/http/page-actor';
import { listDataSources } from '@/lib/use-cases/datasources/list-data-sources';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Data sources' };

export default async function DataSourcesPage() {
  const actor = await requireReader();
  // Admins add, change and test data sources; everyone else sees which there are.
  const admin = can(actor, 'datasource.update', { datasource: '' }).allowed;
  const datasources = await listDataSources();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Data sources</h1>
          <p className="page-lede">The metrics backends SLOs read their good and total events from.</p>
        </div>
        {admin ? (
          <div className="page-actions">
            <Link href="/datasources/new" className="btn btn-primary">
              Add data source
            </Link>
          </div>
        ) : null}
      </div>

      {datasources.length === 0 ? (
        <section className="empty-state" aria-labelledby="no-datasources-title">
          <h2 id="no-datasources-title">No data sources yet</h2>
          <p>
            A data source is a Prometheus-compatible HTTP API — Prometheus, Thanos, Mimir, Cortex or VictoriaMetrics — that Umpire queries for an SLO’s good and
            total events. {admin ? 'Add one, then pick it as the source of an SLO.' : 'An admin adds them.'}
          </p>
          {admin ? (
            <Link href="/datasources/new" className="btn btn-primary">
              Add a data source
            </Link>
          ) : null}
        </section>
      ) : (
        <div className="table-wrap">
          <table className="data-table datasources-table">
            <caption className="visually-hidden">Data sources</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">URL</th>
                <th scope="col">Auth</th>
                <th scope="col">Connection</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {datasources.map((ds) => (
                <tr key={ds.slug} data-datasource={ds.slug}>
                  <th scope="row">
                    <span className="row-title">{ds.name}</span>
                    <div className="row-meta">
                      <code>{ds.slug}</code>
                      <span>timeout {ds.timeoutSeconds} s</span>
                    </div>
                  </th>
                  <td>
                    <code className="url-cell">{ds.url}</code>
                  </td>
                  <td>
                    {AUTH_LABEL[ds.auth.kind]}
                    {ds.auth.username ? <div className="row-meta">user {ds.auth.username}</div> : null}
                    {ds.auth.headerNames?.length ? <div className="row-meta mono">{ds.auth.headerNames.join(', ')}</div> : null}
                  </td>
                  <td>{admin ? <ConnectionTestButton datasource={ds.slug} name={ds.name} /> : <span className="muted">—</span>}</td>
                  <td>
                    {admin ? (
                      <Link href={`/datasources/${encodeURIComponent(ds.slug)}/edit`} className="btn btn-ghost btn-sm" aria-label={`Edit ${ds.name}`}>
                        Edit
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
