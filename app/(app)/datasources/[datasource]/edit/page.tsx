import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AuditTrail } from '@/components/audit/audit-trail';
import { Forbidden } from '@/components/auth/forbidden';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { ConnectionTestButton } from '@/components/datasources/connection-test';
import { DataSourceForm } from '@/components/datasources/datasource-form';
import { DeleteButton } from '@/components/delete-dialog';
import { NotFoundError } from '@/lib/errors';
import { refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import type { DataSource } from '@/lib/schemas';
import { getDataSource } from '@/lib/use-cases/datasources/list-data-sources';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Edit data source' };

async function load(slug: string): Promise<DataSource> {
  try {
    return await getDataSource({ datasource: slug });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export default async function EditDataSourcePage({ params }: { params: Promise<{ datasource: string }> }) {
  const { datasource: slug } = await params;
  const refused = refusal(await requireReader(), 'datasource.update', { datasource: slug });
  if (refused) return <Forbidden reason={refused} back={{ href: '/datasources', label: 'Data sources' }} />;
  const datasource = await load(slug);
  return (
    <>
      <Breadcrumbs items={[{ label: 'Data sources', href: '/datasources' }, { label: datasource.name }, { label: 'Edit' }]} />
      <div className="page-header">
        <div>
          <h1>Edit {datasource.name}</h1>
          <div className="meta-row">
            <code>{datasource.slug}</code>
            <ConnectionTestButton datasource={datasource.slug} name={datasource.name} />
          </div>
        </div>
        <div className="page-actions">
          <DeleteButton
            target={{ kind: 'data source', datasource: datasource.slug }}
            name={datasource.name}
            consequence="this data source and its stored credentials"
            redirectTo="/datasources"
          />
        </div>
      </div>
      <DataSourceForm datasource={datasource} />
      <AuditTrail
        scope={{ datasource: datasource.slug }}
        title="History"
        description="Every change to this data source: who, when, before and after (credentials are never recorded, only that they changed)."
      />
    </>
  );
}
