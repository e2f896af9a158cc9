import type { Metadata } from 'next';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { DataSourceForm } from '@/components/datasources/datasource-form';

export const metadata: Metadata = { title: 'New data source' };

export default function NewDataSourcePage() {
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
