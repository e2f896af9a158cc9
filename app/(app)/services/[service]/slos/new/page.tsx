import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { Forbidden } from '@/components/auth/forbidden';
import { SloForm } from '@/components/slos/slo-form';
import { refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import { NotFoundError } from '@/lib/errors';
import type { Service } from '@/lib/schemas';
import { getService } from '@/lib/use-cases/services/get-service';
import { listDataSources } from '@/lib/use-cases/datasources/list-data-sources';
import { installationAlertSettings } from '@/lib/use-cases/slos/slo-view';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'New SLO' };

async function load(slug: string): Promise<Service> {
  try {
    return await getService({ service: slug });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export default async function NewSloPage({ params }: { params: Promise<{ service: string }> }) {
  const { service: slug } = await params;
  const actor = await requireReader();
  const [service, datasources] = await Promise.all([load(slug), listDataSources()]);
  const refused = refusal(actor, 'slo.create', { service: service.slug, team: service.ownerTeam });
  if (refused) return <Forbidden reason={refused} back={{ href: `/services/${encodeURIComponent(service.slug)}`, label: `Back to ${service.name}` }} />;
  return (
    <>
      <Breadcrumbs
        items={[{ label: 'Services', href: '/' }, { label: service.name, href: `/services/${encodeURIComponent(service.slug)}` }, { label: 'New SLO' }]}
      />
      <div className="page-header">
        <div>
          <h1>New SLO for {service.name}</h1>
          <p className="page-lede">Pick an objective and a window; the default alert tiers follow from them.</p>
        </div>
      </div>
      <SloForm service={service.slug} datasources={datasources} asOf={new Date().toISOString()} alertDefaults={installationAlertSettings()} />
    </>
  );
}
