import type { Metadata } from 'next';
import { Forbidden } from '@/components/auth/forbidden';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { DataSourceForm } from '@/components/datasources/datasource-form';
import { refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'New data source' };

export default async function NewDataSourcePage() {
  const refused = refusal(await requireReader(), 'datasource.create', { datasource: '' });
  if (refused) return <Forbidden reason={refused} back={{ href: '/datasources', label: 'Data sources' }} />;
  return (
    <>
      <Breadcrumbs items={[{ label: 'Data sources', href: '/datasources' }, { label: 'New data source' }]} />
      <div className="page-header">
        <div>
          <h1>New data source</h1>
          <p className="page-lede">Register a Prometheus-compatible API; then test the connection and use it in an SLO.</p>
        </div>
      </div>
      <DataSourceForm />
    </>
  );
}
