import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { DemoBadge } from '@/components/badges';
import { ManagedBadge, ManagedNotice } from '@/components/catalog/managed';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { DeleteButton } from '@/components/delete-dialog';
import { EmbedButton } from '@/components/embeds/embed-dialog';
import { DeployLedger } from '@/components/gates/deploy-ledger';
import { GateHistory } from '@/components/gates/gate-history';
import { GateOverrides } from '@/components/gates/gate-overrides';
import { GateStatusCard } from '@/components/gates/gate-status-card';
import { SloCard, type BurnTrend } from '@/components/slos/slo-card';
import { AlertTimeline } from '@/components/alerts/alert-timeline';
import { AuditTrail } from '@/components/audit/audit-trail';
import { WhoIsPaged } from '@/components/notifications/who-is-paged';
import { can } from '@/lib/auth/permissions';
import { NotFoundError } from '@/lib/errors';
import { requireReader } from '@/lib/http/page-actor';
import type { Service, Slo, SloStatus } from '@/lib/schemas';
import { managedEditsMode } from '@/lib/use-cases/catalog/managed-edits';
import { getService } from '@/lib/use-cases/services/get-service';
import { getSloSeries } from '@/lib/use-cases/slos/get-slo-series';
import { listSloStatuses } from '@/lib/use-cases/slos/list-slo-statuses';
import { listSlos } from '@/lib/use-cases/slos/list-slos';
import { servicePaging } from '@/lib/use-cases/notifications/service-paging';

export const dynamic = 'force-dynamic';

type Params = Promise<{ service: string }>;

/** The service, or the 404 page: an unknown slug is not an error. */
async function loadService(slug: string): Promise<{ service: Service; slos: Slo[] }> {
  try {
    const [service, slos] = await Promise.all([getService({ service: slug }), listSlos({ service: slug })]);
    return { service, slos };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { service } = await params;
  try {
    return { title: (await getService({ service })).name };
  } catch {
    return { title: 'Service not found' };
  }
}

const LINK_LABELS: Record<keyof Service['links'], string> = {
  runbook: 'Runbook',
  repository: 'Repository',
  dashboard: 'Dashboard',
  onCall: 'On-call',
};

const TREND_STEP_SECONDS = 900;
const DAY_MS = 86_400_000;

/** The burn-rate window a card draws: 1h when the SLO's tiers measure it, else its shortest long window. */
function trendWindow(slo: Slo): string | null {
  const longs = slo.alertPolicy.tiers.map((t) => t.longWindow);
  if (longs.includes('1h')) return '1h';
  return longs[0] ?? null;
}

const message = (error: unknown) => (error instanceof Error ? error.message : 'unknown error');

/** A card's trend is a chart, computed from the buckets; its figures come from the statuses read for all cards at once. */
async function loadCard(slo: Slo, statuses: Map<string, SloStatus> | { error: string }) {
  const now = Date.now();
  const window = trendWindow(slo);
  const to = Math.floor(now / (TREND_STEP_SECONDS * 1000)) * TREND_STEP_SECONDS * 1000;
  const status = statuses instanceof Map ? (statuses.get(slo.slug) ?? { error: 'no status for this SLO' }) : statuses;
  const trend: BurnTrend | { error: string } =
    window === null
      ? { error: 'no burn-rate window in this SLO’s alert policy' }
      : await getSloSeries({ service: slo.service, slo: slo.slug, query: { from: new Date(to - DAY_MS), to: new Date(to), step: TREND_STEP_SECONDS } })
          .then((series): BurnTrend => ({
            window,
            points: series.points.map((p) => ({ t: Date.parse(p.t), value: p.burnRates[window] ?? null })),
          }))
          .catch((error: unknown) => ({ error: message(error) }));
  return { slo, status, trend };
}

async function SloCards({ service, slos }: { service: string; slos: Slo[] }) {
  const statuses = await listSloStatuses({ service }).catch((error: unknown) => ({ error: message(error) }));
  const cards = await Promise.all(slos.map((slo) => loadCard(slo, statuses)));
  return (
    <div className="slo-grid">
      {cards.map((card) => (
        <SloCard key={card.slo.slug} {...card} />
      ))}
    </div>
  );
}

function SloCardsSkeleton({ count }: { count: number }) {
  return (
    <div className="slo-grid" aria-busy="true" aria-label="Loading SLO status">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="card slo-card skeleton skeleton-card" />
      ))}
    </div>
  );
}

export default async function ServicePage({ params }: { params: Params }) {
  const { service: slug } = await params;
  const actor = await requireReader();
  const { service, slos } = await loadService(slug);
  const paging = await servicePaging({ service: service.slug });
  const scope = { service: service.slug, team: service.ownerTeam };
  const canEdit = can(actor, 'service.update', scope).allowed;
  // A service git manages is changed there while hand edits are refused: no edit or delete button to fail.
  const editsMode = managedEditsMode();
  const canHandEdit = canEdit && !(service.managedBy && editsMode === 'refuse');
  const canOverride = can(actor, 'gate.override', scope).allowed;
  const base = `/services/${encodeURIComponent(service.slug)}`;
  const links = (Object.keys(LINK_LABELS) as Array<keyof Service['links']>).filter((key) => service.links[key]);
  const demo = slos.some((slo) => slo.sli.source === 'demo');

  return (
    <>
      <Breadcrumbs items={[{ label: 'Services', href: '/' }, { label: service.name }]} />
      <div className="page-header">
        <div>
          <h1>
            {service.name}
            {demo ? <DemoBadge /> : null}
            <ManagedBadge managedBy={service.managedBy} />
          </h1>
          <div className="meta-row">
            <span className="meta-item">
              <span className="meta-label">Team</span> <strong>{service.ownerTeam}</strong>
            </span>
            <span className={`tier tier-${service.tier}`}>Tier {service.tier}</span>
            <code>{service.slug}</code>
          </div>
          {service.description ? <p className="page-lede">{service.description}</p> : null}
          {links.length > 0 ? (
            <ul className="link-list" aria-label="Service links">
              {links.map((key) => (
                <li key={key}>
                  <a href={service.links[key]} target="_blank" rel="noopener noreferrer">
                    {LINK_LABELS[key]} <span aria-hidden="true">↗</span>
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <div className="page-actions">
          {canHandEdit ? (
            <Link href={`${base}/edit`} className="btn btn-secondary">
              Edit service
            </Link>
          ) : null}
          <Link href={`${base}/policy`} className="btn btn-secondary">
            Gate policy
          </Link>
          {canEdit ? <EmbedButton service={{ slug: service.slug, name: service.name }} slos={slos.map((slo) => ({ slug: slo.slug, name: slo.name }))} /> : null}
          <a href={`/api/v1/openslo?service=${encodeURIComponent(service.slug)}`} download={`${service.slug}.openslo.yaml`} className="btn btn-secondary">
            Download OpenSLO
          </a>
          {canHandEdit ? (
            <>
              <DeleteButton
                target={{ kind: 'service', service: service.slug }}
                name={service.name}
                consequence={
                  slos.length === 0 ? 'this service' : `this service, its ${slos.length === 1 ? 'SLO' : `${slos.length} SLOs`} and all their recorded data`
                }
                redirectTo="/"
              />
            </>
          ) : null}
        </div>
      </div>

      <ManagedNotice managedBy={service.managedBy} mode={editsMode} what="service" />

      {/* The gate, its history and the deploy ledger are live (polled through the API), so they render in the browser. */}
      <GateStatusCard service={service.slug} />

      <div className="section-header">
        <h2>
          SLOs <span className="muted">({slos.length})</span>
        </h2>
        {canEdit ? (
          <Link href={`${base}/slos/new`} className="btn btn-primary">
            New SLO
          </Link>
        ) : null}
      </div>

      {slos.length === 0 ? (
        <section className="empty-state" aria-labelledby="no-slos-title">
          <h2 id="no-slos-title">No SLOs yet</h2>
          <p>An SLO sets a target for one indicator (availability, latency) and gives this service an error budget to spend.</p>
          {canEdit ? (
            <Link href={`${base}/slos/new`} className="btn btn-primary">
              Create the first SLO
            </Link>
          ) : null}
        </section>
      ) : (
        <Suspense fallback={<SloCardsSkeleton count={slos.length} />}>
          <SloCards service={service.slug} slos={slos} />
        </Suspense>
      )}

      <WhoIsPaged paging={paging} />
      {slos.length > 0 ? (
        <AlertTimeline scope={{ service: service.slug }} title="Alerts" description="The alerts of this service's SLOs, newest first, open and resolved." />
      ) : null}
      <DeployLedger service={service.slug} />
      <GateHistory service={service.slug} />
      <GateOverrides service={service.slug} canCreate={canOverride} />
      <AuditTrail
        scope={{ service: service.slug }}
        title="History"
        description="Every change to this service, its SLOs, policy, overrides, embeds and deploys: who, when, before and after."
      />
    </>
  );
}
