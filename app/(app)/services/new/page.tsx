import type { Metadata } from 'next';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { Forbidden } from '@/components/auth/forbidden';
import { ServiceForm } from '@/components/services/service-form';
import { allowedTeams, writes } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import { listTeams } from '@/lib/use-cases/services/list-services';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'New service' };

export default async function NewServicePage() {
  const actor = await requireReader();
  if (!writes(actor))
    return (
      <Forbidden
        reason={actor.kind === 'user' ? `A ${actor.role} may not create services` : 'Sign in to create services'}
        back={{ href: '/', label: 'All services' }}
      />
    );
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
      <ServiceForm teams={teams} allowedTeams={allowedTeams(actor)} />
    </>
  );
}
