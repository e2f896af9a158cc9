import Link from 'next/link';
import { ServiceFilters } from '@/components/services/service-filters';
import { ServicePager } from '@/components/services/service-pager';
import { ServiceTable } from '@/components/services/service-table';
import { writes } from '@/lib/http/page-abilities';
import { requireReader } from '@/lib/http/page-actor';
import { ServiceFilter, Verdict, type ServiceSummary } from '@/lib/schemas';
import { listServices, listTeams } from '@/lib/use-cases/services/list-services';

export const dynamic = 'force-dynamic';

type SearchParams = Record<string, string | string[] | undefined>;

/** Services per page of the overview: the most urgent fit on the first; 1,000 rows would be megabytes of HTML. */
const PAGE_SIZE = 50;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** Each filter parsed on its own with the shared schema, so one bad value (?tier=9) does not void the others. */
function parseFilter(params: SearchParams): { filter: ServiceFilter; q: string; team: string; tier: string } {
  const q = first(params.q);
  const team = first(params.team);
  const tierRaw = first(params.tier);
  const tier = ServiceFilter.shape.tier.safeParse(tierRaw === '' ? undefined : tierRaw);
  const filter: ServiceFilter = {
    ...(q ? { q: q.slice(0, 100) } : {}),
    ...(team ? { team: team.slice(0, 100) } : {}),
    ...(tier.success && tier.data !== undefined ? { tier: tier.data } : {}),
  };
  return { filter, q, team, tier: filter.tier ? String(filter.tier) : '' };
}

/** ?gate=pass|warn|fail|unknown; anything else is no filter. Applied here: the gate is part of each summary already. */
type GateFilter = Verdict | 'unknown' | '';

function parseGate(value: string): GateFilter {
  if (value === 'unknown') return 'unknown';
  const parsed = Verdict.safeParse(value);
  return parsed.success ? parsed.data : '';
}

function matchesGate(service: ServiceSummary, gate: GateFilter): boolean {
  if (gate === '') return true;
  return gate === 'unknown' ? service.gate === null : service.gate === gate;
}

/** ?page=N, 1-based; anything else is the first page, and past the last is the last. */
function parsePage(value: string, pages: number): number {
  const n = /^\d{1,6}$/.test(value) ? Number(value) : 1;
  return Math.min(Math.max(n, 1), Math.max(pages, 1));
}

function summarise(services: ServiceSummary[]) {
  return {
    paging: services.filter((s) => s.health === 'page').length,
    ticket: services.filter((s) => s.health === 'ticket').length,
    overspent: services.filter((s) => s.worstBudgetRemaining !== null && s.worstBudgetRemaining < 0).length,
    gateFailing: services.filter((s) => s.gate === 'fail').length,
  };
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireReader();
  const canCreate = writes(actor);
  const params = await searchParams;
  const { filter, q, team, tier } = parseFilter(params);
  const gate = parseGate(first(params.gate));
  const [listed, teams] = await Promise.all([listServices({ filter }), listTeams()]);
  const services = listed.filter((service) => matchesGate(service, gate));
  const filtered = Object.keys(filter).length > 0 || gate !== '';
  const counts = summarise(services);
  const pages = Math.ceil(services.length / PAGE_SIZE);
  const page = parsePage(first(params.page), pages);
  const shown = services.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const kept: Record<string, string> = { ...(q ? { q } : {}), ...(team ? { team } : {}), ...(tier ? { tier } : {}), ...(gate ? { gate } : {}) };

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Services</h1>
          <p className="page-lede">Error budgets and burn-rate alerts for every service, the ones in trouble first.</p>
        </div>
        {canCreate ? (
          <div className="page-actions">
            <Link href="/services/new" className="btn btn-primary">
              New service
            </Link>
          </div>
        ) : null}
      </div>

      {teams.length === 0 && !filtered ? (
        <section className="empty-state" aria-labelledby="empty-title">
          <h2 id="empty-title">{canCreate ? 'No services yet — create one' : 'No services yet'}</h2>
          <p>A service groups the SLOs one team owns. Create it, then add an SLO to start measuring its error budget.</p>
          {canCreate ? (
            <Link href="/services/new" className="btn btn-primary">
              Create a service
            </Link>
          ) : (
            <p className="muted">Editors and admins create services.</p>
          )}
        </section>
      ) : (
        <>
          <ServiceFilters teams={teams} q={q} team={team} tier={tier} gate={gate} />
          <p className="result-summary" role="status">
            <span>
              <strong>
                {services.length} {services.length === 1 ? 'service' : 'services'}
              </strong>
              {filtered ? (services.length === 1 ? ' matches these filters' : ' match these filters') : ''}
            </span>
            {pages > 1 ? (
              <span className="summary-item">
                showing {(page - 1) * PAGE_SIZE + 1}–{(page - 1) * PAGE_SIZE + shown.length}, most urgent first
              </span>
            ) : null}
            {counts.paging > 0 ? <span className="summary-item summary-danger">{counts.paging} paging</span> : null}
            {counts.ticket > 0 ? <span className="summary-item summary-warning">{counts.ticket} with tickets</span> : null}
            {counts.overspent > 0 ? <span className="summary-item summary-danger">{counts.overspent} over budget</span> : null}
            {counts.gateFailing > 0 ? <span className="summary-item summary-danger">{counts.gateFailing} with the gate failing</span> : null}
          </p>
          {services.length === 0 ? (
            <section className="empty-state" aria-labelledby="nomatch-title">
              <h2 id="nomatch-title">No services match these filters</h2>
              <p>Try another search term, team, tier or gate.</p>
              <Link href="/" className="btn btn-secondary">
                Clear filters
              </Link>
            </section>
          ) : (
            <>
              <ServiceTable services={shown} />
              <ServicePager page={page} pages={pages} params={kept} />
            </>
          )}
        </>
      )}
    </>
  );
}
