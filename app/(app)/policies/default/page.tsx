import type { Metadata } from 'next';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { AuditTrail } from '@/components/audit/audit-trail';
import { PolicyEditor } from '@/components/gates/policy-editor';
import { refusal } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import { listServices } from '@/lib/use-cases/services/list-services';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Default gate policy' };

/** The organisation's default error-budget policy: every service without a policy of its own is judged by it. */
export default async function DefaultPolicyPage() {
  const actor = await requireReader();
  const services = await listServices({ filter: {} });
  return (
    <>
      <Breadcrumbs items={[{ label: 'Services', href: '/' }, { label: 'Default gate policy' }]} />
      <div className="page-header">
        <div>
          <h1>Default gate policy</h1>
          <p className="page-lede">
            The rules release gates apply to every service that has no policy of its own. Without them, Umpire’s built-in policy applies: fail when a budget is
            spent or a page alert fires, warn under a quarter of the budget left or on a ticket alert.
          </p>
        </div>
      </div>
      <PolicyEditor
        scope={{ kind: 'default' }}
        services={services.map((s) => ({ slug: s.slug, name: s.name }))}
        readOnlyReason={refusal(actor, 'policy.update', { policy: 'default' })}
      />
      <AuditTrail scope={{ policy: 'default' }} title="Policy history" description="Every change to the organisation default: who, when, before and after." />
    </>
  );
}
