import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { AlertFilters, type AlertView } from '@/components/alerts/alert-filters';
import { FiringNow } from '@/components/alerts/firing-now';
import { requireReader } from '@/lib/http/page-actor';
import { alertKeys, type AlertFilter } from '@/lib/queries/alerts';
import { AlertQuery } from '@/lib/schemas';
import { listAlerts } from '@/lib/use-cases/alerts/list-alerts';
import { listTeams } from '@/lib/use-cases/services/list-services';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Firing now' };

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** Recently resolved: this many, newest first. */
const RESOLVED_LIMIT = 50;

/** ?view=resolved|open, ?team=, ?service=: each parsed on its own, so a bad one (?service=Not A Slug) is dropped alone. */
function parseParams(params: SearchParams): { view: AlertView; team: string; service: string; filter: AlertFilter } {
  const view: AlertView = first(params.view) === 'resolved' ? 'resolved' : 'open';
  const team = AlertQuery.shape.team.safeParse(first(params.team) || undefined);
  const service = AlertQuery.shape.service.safeParse(first(params.service) || undefined);
  const filter: AlertFilter = {
    state: view === 'resolved' ? 'resolved' : 'open',
    ...(team.success && team.data ? { team: team.data } : {}),
    ...(service.success && service.data ? { service: service.data } : {}),
    ...(view === 'resolved' ? { limit: RESOLVED_LIMIT } : {}),
  };
  return { view, team: filter.team ?? '', service: filter.service ?? '', filter };
}

/** The first answer, from the same use-case the API calls, seeded into the browser's cache; an unknown service is left to the API's 404. */
async function prefetched(filter: AlertFilter) {
  const queryClient = new QueryClient();
  try {
    const alerts = await listAlerts(AlertQuery.parse({ ...filter }));
    queryClient.setQueryData(alertKeys.list(filter), alerts);
  } catch {
    // The browser asks again and shows the API's answer (e.g. "service ... does not exist").
  }
  return dehydrate(queryClient);
}

export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireReader();
  const { view, team, service, filter } = parseParams(await searchParams);
  const [teams, state] = await Promise.all([listTeams(), prefetched(filter)]);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Firing now</h1>
          <p className="page-lede">Every open alert across services, the ones firing first, pages before tickets. Updated every 30 seconds.</p>
        </div>
      </div>
      <AlertFilters teams={teams} team={team} service={service} view={view} />
      <HydrationBoundary state={state}>
        <FiringNow filter={filter} view={view} filtered={team !== '' || service !== ''} />
      </HydrationBoundary>
    </>
  );
}
