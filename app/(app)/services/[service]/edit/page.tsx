import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { Forbidden } from '@/components/auth/forbidden';
import { ManagedNotice } from '@/components/catalog/managed';
import { ServiceForm } from '@/components/services/service-form';
import { allowedTeams, refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import { NotFoundError } from '@/lib/errors';
import type { Service } from '@/lib/schemas';
import { getService } from '@/lib/use-cases/services/get-service';
import { listTeams } from '@/lib/use-cases/services/list-services';
import { managedEditsMode } from '@/lib/use-cases/catalog/managed-edits';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Edit service' };

async function load(slug: string): Promise<{ service: Service; teams: string[] }> {
  try {
    const [service, teams] = await Promise.all([getService({ service: slug }), listTeams()]);
    return { service, teams };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export default async function EditServicePage({ params }: { params: Promise<{ service: string }> }) {
  const { service: slug } = await params;
  const actor = await requireReader();
  const { service, teams } = await load(slug);
  const href = `/services/${encodeURIComponent(service.slug)}`;
  const mode = managedEditsMode();
  const refused = refusal(actor, 'service.update', { service: service.slug, team: service.ownerTeam });
  if (refused) return <Forbidden reason={refused} back={{ href, label: `Back to ${service.name}` }} />;
  return (
    <>
      <Breadcrumbs items={[{ label: 'Services', href: '/' }, { label: service.name, href }, { label: 'Edit' }]} />
      <div className="page-header">
        <div>
          <h1>Edit {service.name}</h1>
        </div>
      </div>
      <ManagedNotice managedBy={service.managedBy} mode={mode} what="service" />
      {/* Git is the truth while hand edits are refused: the notice says where to change it, and no form fails on save. */}
      {service.managedBy && mode === 'refuse' ? (
        <Link href={href} className="btn btn-primary">
          Back to {service.name}
        </Link>
      ) : (
        <ServiceForm service={service} teams={teams} allowedTeams={allowedTeams(actor)} />
      )}
    </>
  );
}
