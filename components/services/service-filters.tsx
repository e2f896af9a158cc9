'use client';

import { useRouter } from 'next/navigation';
import { useRef } from 'react';

export interface ServiceFiltersProps {
  teams: string[];
  q: string;
  team: string;
  tier: string;
  /** pass, warn, fail, unknown or '' (any). */
  gate: string;
}

/**
 * Search and filters as URL search params, so a filtered view is a link. A plain GET form: it works before
 * hydration and by keyboard; once hydrated, selects apply on change and navigation stays client-side.
 */
export function ServiceFilters({ teams, q, team, tier, gate }: ServiceFiltersProps) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);

  function apply(form: HTMLFormElement) {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (typeof value === 'string' && value.trim() !== '') params.set(key, value.trim());
    }
    const query = params.toString();
    router.push(query ? `/?${query}` : '/', { scroll: false });
  }

  const active = q !== '' || team !== '' || tier !== '' || gate !== '';
  return (
    <form
      ref={formRef}
      role="search"
      aria-label="Filter services"
      className="filters"
      action="/"
      method="get"
      onSubmit={(event) => {
        event.preventDefault();
        apply(event.currentTarget);
      }}
    >
      <div className="filter-field filter-search">
        <label htmlFor="filter-q">Search</label>
        <input id="filter-q" name="q" type="search" defaultValue={q} placeholder="Name, slug, team or description" key={`q-${q}`} />
      </div>
      <div className="filter-field">
        <label htmlFor="filter-team">Team</label>
        <select id="filter-team" name="team" defaultValue={team} key={`team-${team}`} onChange={(e) => e.currentTarget.form && apply(e.currentTarget.form)}>
          <option value="">All teams</option>
          {teams.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
          {team !== '' && !teams.includes(team) ? <option value={team}>{team}</option> : null}
        </select>
      </div>
      <div className="filter-field">
        <label htmlFor="filter-tier">Tier</label>
        <select id="filter-tier" name="tier" defaultValue={tier} key={`tier-${tier}`} onChange={(e) => e.currentTarget.form && apply(e.currentTarget.form)}>
          <option value="">All tiers</option>
          <option value="1">Tier 1</option>
          <option value="2">Tier 2</option>
          <option value="3">Tier 3</option>
        </select>
      </div>
      <div className="filter-field">
        <label htmlFor="filter-gate">Gate</label>
        <select id="filter-gate" name="gate" defaultValue={gate} key={`gate-${gate}`} onChange={(e) => e.currentTarget.form && apply(e.currentTarget.form)}>
          <option value="">Any gate</option>
          <option value="fail">Fail</option>
          <option value="warn">Warn</option>
          <option value="pass">Pass</option>
          <option value="unknown">Unknown</option>
        </select>
      </div>
      <div className="filter-actions">
        <button type="submit" className="btn btn-secondary">
          Search
        </button>
        {active ? (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              formRef.current?.reset();
              router.push('/', { scroll: false });
            }}
          >
            Clear filters
          </button>
        ) : null}
      </div>
    </form>
  );
}
