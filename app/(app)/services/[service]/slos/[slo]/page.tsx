import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Badge, DemoBadge } from '@/components/badges';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { DeleteButton } from '@/components/delete-dialog';
import { ManagedBadge, ManagedNotice } from '@/components/catalog/managed';
import { managedEditsMode } from '@/lib/use-cases/catalog/managed-edits';
import { EmbedButton } from '@/components/embeds/embed-dialog';
import { describeWindow, formatObjective } from '@/lib/format';
import { SloDetail, type ServerCharts } from '@/components/slos/slo-detail';
import { SourceDescription } from '@/components/slos/source-description';
import { AlertTimeline } from '@/components/alerts/alert-timeline';
import { AuditTrail } from '@/components/audit/audit-trail';
import { can } from '@/lib/auth/permissions';
import { NotFoundError } from '@/lib/errors';
import { requireReader } from '@/lib/http/page-actor';
import { parseRange, seriesWindow, sloKeys, type TimeRange } from '@/lib/queries/slo';
import type { DataSource, Service, Slo, SloFeeders, SloSeries, SloStatus } from '@/lib/schemas';
import { renderSloChartSvg } from '@/lib/embed/render-panel';
import { log } from '@/lib/log';
import { getSloSeries } from '@/lib/use-cases/slos/get-slo-series';
import { getService } from '@/lib/use-cases/services/get-service';
import { getSlo } from '@/lib/use-cases/slos/get-slo';
import { getSloStatus } from '@/lib/use-cases/slos/get-slo-status';
import { getDataSource } from '@/lib/use-cases/datasources/list-data-sources';
import { listSloFeeders } from '@/lib/use-cases/slos/list-slo-feeders';
import { PrometheusRulesLinks } from '@/components/slos/prometheus-rules-links';

export const dynamic = 'force-dynamic';

type Params = Promise<{ service: string; slo: string }>;

async function load(service: string, slo: string): Promise<{ service: Service; slo: Slo; status: SloStatus }> {
  try {
    const [serviceRecord, sloRecord, status] = await Promise.all([getService({ service }), getSlo({ service, slo }), getSloStatus({ service, slo })]);
    return { service: serviceRecord, slo: sloRecord, status };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { service, slo } = await params;
  try {
    const record = await getSlo({ service, slo });
    return { title: `${record.name} (${service})` };
  } catch {
    return { title: 'SLO not found' };
  }
}

/**
 * A per-request QueryClient (never a shared one) holding the status, the charts' series for the range asked (so the
 * interactive charts draw from the page's own data) and an OpenTelemetry SLO's feeders, dehydrated for the client.
 */
function pageState(status: SloStatus, series: { range: TimeRange; data: SloSeries } | null, feeders: SloFeeders | null) {
  const queryClient = new QueryClient();
  queryClient.setQueryData(sloKeys.status(status.service, status.slo), status);
  if (series) queryClient.setQueryData(sloKeys.series(status.service, status.slo, series.range), series.data);
  if (feeders) queryClient.setQueryData(sloKeys.feeders(status.service, status.slo), feeders);
  return dehydrate(queryClient);
}

/** The series the charts show first, as their own request would ask; null when it cannot be read (the charts then ask). */
async function loadSeries(service: string, slo: string, range: TimeRange): Promise<{ range: TimeRange; data: SloSeries } | null> {
  try {
    return { range, data: await getSloSeries({ service, slo, query: seriesWindow(range, Date.now()) }) };
  } catch (error) {
    // A missing SLO is the page's 404 to give; anything else is logged and left to the charts' own request.
    if (!(error instanceof NotFoundError)) log.warn('slo_page.series_failed', { service, slo, range, error });
    return null;
  }
}

/** The three charts drawn on the server (lib/embed), shown at first paint until the interactive ones have loaded. */
function serverCharts(service: Service, slo: Slo, status: SloStatus, series: { range: TimeRange; data: SloSeries } | null): ServerCharts | null {
  if (!series) return null;
  // Sized as their cards are on a wide screen (the burn rate spans two); the SVG scales to a narrower one.
  const draw = (kind: 'sli' | 'budget' | 'burn_rate', width: number, height: number) =>
    renderSloChartSvg({ kind, serviceName: service.name, sloName: slo.name, link: '', status, series: series.data }, { width, height });
  return { range: series.range, sli: draw('sli', 560, 240), budget: draw('budget', 560, 240), burnRate: draw('burn_rate', 1120, 280) };
}

/** The data source a Prometheus SLI reads, or null when it is not registered (any more). */
async function loadDataSource(slo: Slo): Promise<DataSource | null> {
  if (slo.sli.source !== 'prometheus') return null;
  try {
    return await getDataSource({ datasource: slo.sli.datasource });
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

export default async function SloPage({ params, searchParams }: { params: Params; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { service: serviceSlug, slo: sloSlug } = await params;
  const rangeParam = (await searchParams).range;
  const range = parseRange(typeof rangeParam === 'string' ? rangeParam : null);
  // Read beside the SLO and its status rather than after them.
  const seriesRead = loadSeries(serviceSlug, sloSlug, range);
  const actor = await requireReader();
  const { service, slo, status } = await load(serviceSlug, sloSlug);
  const canEdit = can(actor, 'slo.update', { service: service.slug, team: service.ownerTeam }).allowed;
  // An SLO git manages is changed there while hand edits are refused: no edit or delete button to fail.
  const editsMode = managedEditsMode();
  const canHandEdit = canEdit && !(slo.managedBy && editsMode === 'refuse');
  const [datasource, feeders, series] = await Promise.all([
    loadDataSource(slo),
    slo.sli.source === 'otel' ? listSloFeeders({ service: service.slug, slo: slo.slug }) : null,
    seriesRead,
  ]);
  const serviceHref = `/services/${encodeURIComponent(service.slug)}`;
  const labels = Object.entries(slo.labels);

  return (
    <>
      <Breadcrumbs items={[{ label: 'Services', href: '/' }, { label: service.name, href: serviceHref }, { label: slo.name }]} />
      <div className="page-header">
        <div>
          <h1>
            {slo.name}
            {slo.sli.source === 'demo' ? <DemoBadge /> : null}
            <ManagedBadge managedBy={slo.managedBy} />
          </h1>
          <div className="meta-row">
            <span className="meta-item">
              <span className="meta-label">Objective</span> <strong>{formatObjective(slo.objective)}</strong>
            </span>
            <span className="meta-item">
              <span className="meta-label">Window</span> {describeWindow(slo.window)}
            </span>
            <span className="meta-item">
              <span className="meta-label">Budgeting</span>
              {slo.budgeting.method === 'timeslices'
                ? `${slo.budgeting.sliceMinutes}-minute slices, good at ≥ ${formatObjective(slo.budgeting.threshold)}`
                : 'events (occurrences)'}
            </span>
            <code>{slo.slug}</code>
          </div>
          {slo.description ? <p className="page-lede">{slo.description}</p> : null}
          <SourceDescription sli={slo.sli} datasource={datasource} />
          {labels.length > 0 ? (
            <div className="meta-row" aria-label="Labels">
              {labels.map(([key, value]) => (
                <Badge key={key} tone="muted">
                  {key}={value}
                </Badge>
              ))}
            </div>
          ) : null}
        </div>
        {canEdit ? (
          <div className="page-actions">
            {canHandEdit ? (
              <Link href={`${serviceHref}/slos/${encodeURIComponent(slo.slug)}/edit`} className="btn btn-secondary">
                Edit SLO
              </Link>
            ) : null}
            <EmbedButton service={{ slug: service.slug, name: service.name }} slo={{ slug: slo.slug, name: slo.name }} />
            {canHandEdit ? (
              <DeleteButton
                target={{ kind: 'SLO', service: service.slug, slo: slo.slug }}
                name={slo.name}
                consequence="this SLO and all its recorded data"
                redirectTo={serviceHref}
              />
            ) : null}
          </div>
        ) : null}
      </div>
      <ManagedNotice managedBy={slo.managedBy} mode={editsMode} what="SLO" />
      {/* The server's status seeds the browser cache, replacing an older entry (e.g. from before an edit). */}
      <HydrationBoundary state={pageState(status, series, feeders)}>
        <SloDetail slo={slo} initialStatus={status} canEdit={canEdit} serverCharts={serverCharts(service, slo, status, series)} />
      </HydrationBoundary>
      {slo.sli.source === 'prometheus' && slo.budgeting.method === 'occurrences' ? <PrometheusRulesLinks service={service.slug} slo={slo.slug} /> : null}
      <AlertTimeline
        scope={{ service: service.slug, slo: slo.slug }}
        title="Alert history"
        description="Every alert this SLO raised, newest first: when it began and ended, how hard it burned and what it cost."
      />
      <AuditTrail scope={{ service: service.slug, slo: slo.slug }} title="History" description="Every change to this SLO: who, when, before and after." />
    </>
  );
}
