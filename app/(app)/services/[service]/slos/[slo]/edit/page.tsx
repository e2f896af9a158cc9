import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { Forbidden } from '@/components/auth/forbidden';
import { ManagedNotice } from '@/components/catalog/managed';
import { SloForm } from '@/components/slos/slo-form';
import { refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import { NotFoundError } from '@/lib/errors';
import type { Service, Slo } from '@/lib/schemas';
import { getService } from '@/lib/use-cases/services/get-service';
import { getSlo } from '@/lib/use-cases/slos/get-slo';
import { listDataSources } from '@/lib/use-cases/datasources/list-data-sources';
import { installationAlertSettings } from '@/lib/use-cases/slos/slo-view';
import { managedEditsMode } from '@/lib/use-cases/catalog/managed-edits';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Edit SLO' };

async function load(service: string, slo: string): Promise<{ service: Service; slo: Slo }> {
  try {
    const [serviceRecord, sloRecord] = await Promise.all([getService({ service }), getSlo({ service, slo })]);
    return { service: serviceRecord, slo: sloRecord };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export default async function EditSloPage({ params }: { params: Promise<{ service: string; slo: string }> }) {
  const { service: serviceSlug, slo: sloSlug } = await params;
  const actor = await requireReader();
  const [{ service, slo }, datasources] = await Promise.all([load(serviceSlug, sloSlug), listDataSources()]);
  const serviceHref = `/services/${encodeURIComponent(service.slug)}`;
  const mode = managedEditsMode();
  const refused = refusal(actor, 'slo.update', { service: service.slug, team: service.ownerTeam });
  if (refused) return <Forbidden reason={refused} back={{ href: `${serviceHref}/slos/${encodeURIComponent(slo.slug)}`, label: `Back to ${slo.name}` }} />;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: 'Services', href: '/' },
          { label: service.name, href: serviceHref },
          { label: slo.name, href: `${serviceHref}/slos/${encodeURIComponent(slo.slug)}` },
          { label: 'Edit' },
        ]}
      />
      <div className="page-header">
        <div>
          <h1>Edit {slo.name}</h1>
          <p className="page-lede">Changing the SLI source refills its history; other changes apply to the existing data.</p>
        </div>
      </div>
      <ManagedNotice managedBy={slo.managedBy} mode={mode} what="SLO" />
      {/* Git is the truth while hand edits are refused: the notice says where to change it, and no form fails on save. */}
      {slo.managedBy && mode === 'refuse' ? (
        <Link href={`${serviceHref}/slos/${encodeURIComponent(slo.slug)}`} className="btn btn-primary">
          Back to {slo.name}
        </Link>
      ) : (
        <SloForm service={service.slug} slo={slo} datasources={datasources} asOf={new Date().toISOString()} alertDefaults={installationAlertSettings()} />
      )}
    </>
  );
}
