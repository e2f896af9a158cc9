'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef } from 'react';

export type AlertView = 'open' | 'resolved';

export interface AlertFiltersProps {
  teams: string[];
  team: string;
  service: string;
  view: AlertView;
}

/** The Firing now page's URL for a view and filters: a filtered view is a link. */
export function alertsHref({ view, team, service }: { view: AlertView; team: string; service: string }): string {
  const params = new URLSearchParams();
  if (view === 'resolved') params.set('view', 'resolved');
  if (team) params.set('team', team);
  if (service) params.set('service', service);
  const query = params.toString();
  return query ? `/alerts?${query}` : '/alerts';
}

/** Open or recently resolved, as two links (the current one marked), then team and service as URL search params. */
export function AlertFilters({ teams, team, service, view }: AlertFiltersProps) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);

  function apply(form: HTMLFormElement) {
    const data = new FormData(form);
    const value = (key: string) => {
      const v = data.get(key);
      return typeof v === 'string' ? v.trim() : '';
    };
    router.push(alertsHref({ view, team: value('team'), service: value('service') }), { scroll: false });
  }

  return (
    <>
      <nav className="range-picker alert-views" aria-label="Which alerts">
        <Link href={alertsHref({ view: 'open', team, service })} aria-current={view === 'open' ? 'page' : undefined}>
          Firing and pending
        </Link>
        <Link href={alertsHref({ view: 'resolved', team, service })} aria-current={view === 'resolved' ? 'page' : undefined}>
          Recently resolved
        </Link>
      </nav>
      <form
        ref={formRef}
        role="search"
        aria-label="Filter alerts"
        className="filters"
        action="/alerts"
        method="get"
        onSubmit={(event) => {
          event.preventDefault();
          apply(event.currentTarget);
        }}
      >
        {view === 'resolved' ? <input type="hidden" name="view" value="resolved" /> : null}
        <div className="filter-field">
          <label htmlFor="alert-filter-team">Team</label>
          <select
            id="alert-filter-team"
            name="team"
            defaultValue={team}
            key={`team-${team}`}
            onChange={(e) => e.currentTarget.form && apply(e.currentTarget.form)}
          >
            <option value="">All teams</option>
            {teams.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
            {team !== '' && !teams.includes(team) ? <option value={team}>{team}</option> : null}
          </select>
        </div>
        <div className="filter-field filter-search">
          <label htmlFor="alert-filter-service">Service</label>
          <input id="alert-filter-service" name="service" type="search" defaultValue={service} placeholder="Service slug" key={`service-${service}`} />
        </div>
        <div className="filter-actions">
          <button type="submit" className="btn btn-secondary">
            Filter
          </button>
          {team !== '' || service !== '' ? (
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                formRef.current?.reset();
                router.push(alertsHref({ view, team: '', service: '' }), { scroll: false });
              }}
            >
              Clear filters
            </button>
          ) : null}
        </div>
      </form>
    </>
  );
}
