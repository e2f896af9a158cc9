import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { AuditTrail } from '@/components/audit/audit-trail';
import { PolicyEditor } from '@/components/gates/policy-editor';
import { refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import { NotFoundError } from '@/lib/errors';
import type { Service } from '@/lib/schemas';
import { getService } from '@/lib/use-cases/services/get-service';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Gate policy' };

async function load(slug: string): Promise<Service> {
  try {
    return await getService({ service: slug });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

/** A service's error-budget policy: what its release gate checks, previewed against the service's state now. */
export default async function ServicePolicyPage({ params }: { params: Promise<{ service: string }> }) {
  const { service: slug } = await params;
  const actor = await requireReader();
  const service = await load(slug);
  const href = `/services/${encodeURIComponent(service.slug)}`;
  return (
    <>
      <Breadcrumbs items={[{ label: 'Services', href: '/' }, { label: service.name, href }, { label: 'Gate policy' }]} />
      <div className="page-header">
        <div>
          <h1>Gate policy of {service.name}</h1>
          <p className="page-lede">
            When a release asks the gate, these rules decide whether it passes, warns or fails. Without a policy of its own the service follows the{' '}
            <Link href="/policies/default">organisation default</Link>.
          </p>
        </div>
      </div>
      <PolicyEditor
        scope={{ kind: 'service', service: service.slug }}
        readOnlyReason={refusal(actor, 'policy.update', { service: service.slug, team: service.ownerTeam })}
      />
      <AuditTrail
        scope={{ service: service.slug, type: 'policy' }}
        title="Policy history"
        description="Every change to this service’s policy: who, when, before and after."
      />
    </>
  );
}
