import type { Metadata } from 'next';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { ServiceForm } from '@/components/services/service-form';
import { listTeams } from '@/lib/use-cases/list-services';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'New service' };

export default async function NewServicePage() {
  const teams = await listTeams();
  return (
    <>
      <Breadcrumbs items={[{ label: 'Services', href: '/' }, { label: 'New service' }]} />
      <div className="page-header">
        <div>
          <h1>New service</h1>
          <p className="page-lede">Create the service, then give it SLOs.</p>
        </div>
      </div>
      <ServiceForm teams={teams} />
    </>
  );
}
