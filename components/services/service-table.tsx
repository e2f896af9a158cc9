import Link from 'next/link';
import type { ServiceSummary } from '@/lib/schemas';
import { Badge, BudgetBar, BudgetValue, DemoBadgeIf, HealthBadge } from '../badges';
import { VerdictBadge } from '../gates/verdict';

const sloHref = (service: string, slo: string) => `/services/${encodeURIComponent(service)}/slos/${encodeURIComponent(slo)}`;

/** The overview's rows, in the order given (most urgent first: listServices sorts them). */
export function ServiceTable({ services }: { services: ServiceSummary[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table services-table">
        <caption className="visually-hidden">Services, most urgent first</caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Team</th>
            <th scope="col">Tier</th>
            <th scope="col">Worst error budget left</th>
            <th scope="col">Gate</th>
            <th scope="col">Alerts</th>
          </tr>
        </thead>
        <tbody>
          {services.map((service) => (
            <tr key={service.slug} data-service={service.slug}>
              <th scope="row">
                <Link href={`/services/${encodeURIComponent(service.slug)}`} className="row-title">
                  {service.name}
                </Link>
                <div className="row-meta">
                  <code>{service.slug}</code>
                  <span>
                    {service.sloCount} {service.sloCount === 1 ? 'SLO' : 'SLOs'}
                  </span>
                  <DemoBadgeIf sources={service.sources} />
                </div>
              </th>
              <td>{service.ownerTeam}</td>
              <td>
                <span className={`tier tier-${service.tier}`}>Tier {service.tier}</span>
              </td>
              <td>
                {service.sloCount === 0 ? (
                  <span className="muted">No SLOs yet</span>
                ) : (
                  <div className="budget-cell">
                    <div className="budget-cell-top">
                      <BudgetValue remaining={service.worstBudgetRemaining} className="budget-lg" />
                      <BudgetBar remaining={service.worstBudgetRemaining} />
                    </div>
                    {service.worstSlo ? (
                      <span>
                        <Link className="small-link" href={sloHref(service.slug, service.worstSlo)}>
                          {service.worstSlo}
                        </Link>
                        {service.worstProvisional ? (
                          <>
                            {' '}
                            <Badge tone="warning" title="Its window is only partly measured, or holds too few events: a few events can swing this budget">
                              Provisional
                            </Badge>
                          </>
                        ) : null}
                      </span>
                    ) : (
                      <span className="muted small">No SLO has data yet</span>
                    )}
                  </div>
                )}
              </td>
              <td data-gate={service.gate ?? 'unknown'}>
                <VerdictBadge verdict={service.gate} />
              </td>
              <td>
                <HealthBadge health={service.health} firingAlerts={service.firingAlerts} />
                {service.staleSlos > 0 ? (
                  <>
                    {' '}
                    <Badge tone="warning" title="The source of these SLOs is failing; their figures stop where it went stale">
                      {service.staleSlos === 1 ? '1 stale SLO' : `${service.staleSlos} stale SLOs`}
                    </Badge>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
