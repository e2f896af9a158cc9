import Link from 'next/link';
import type { ServicePaging } from '@/lib/schemas';
import { LocalTime } from '../local-time';

const KIND_LABEL = { burn_rate: 'Burn rate', data_absent: 'Data absent', budget_low: 'Budget low' } as const;

export interface WhoIsPagedProps {
  paging: ServicePaging;
}

/**
 * Who is told when this service's SLOs alert, per severity: the channels its team's routes send each kind of
 * alert to (and for which SLOs, where a route's labels narrow it), and the silences holding them now.
 */
export function WhoIsPaged({ paging }: WhoIsPagedProps) {
  const pageRoutes = paging.paths.filter((p) => p.severity === 'page').some((p) => p.routes.length > 0);
  return (
    <section aria-labelledby="who-is-paged-title" className="who-is-paged">
      <div className="section-header">
        <h2 id="who-is-paged-title">Who is paged</h2>
        <Link href="/notifications">Notifications</Link>
      </div>
      {!pageRoutes ? (
        <p className="connection-failed" role="note">
          No route sends this service’s page alerts anywhere.
        </p>
      ) : null}
      {(['page', 'ticket'] as const).map((severity) => {
        const paths = paging.paths.filter((p) => p.severity === severity && p.routes.length > 0);
        if (paths.length === 0)
          return severity === 'ticket' ? (
            <p key={severity} className="muted">
              No route sends its ticket alerts anywhere.
            </p>
          ) : null;
        return (
          <div key={severity} className="table-wrap" style={{ marginBottom: 12 }}>
            <table className="data-table" data-severity={severity}>
              <caption style={{ textAlign: 'left', fontWeight: 600, padding: '6px 0' }}>{severity === 'page' ? 'Page alerts' : 'Ticket alerts'}</caption>
              <thead>
                <tr>
                  <th scope="col">Alert</th>
                  <th scope="col">Sent to</th>
                </tr>
              </thead>
              <tbody>
                {paths.map((p) => (
                  <tr key={p.kind}>
                    <th scope="row">{KIND_LABEL[p.kind]}</th>
                    <td>
                      <ul className="plain-list">
                        {p.routes.map((r) => (
                          <li key={r.route} data-channel={r.channel}>
                            <strong>{r.channelName}</strong> <span className="muted">({r.channelKind})</span>
                            {r.slos ? <span className="muted"> · only {r.slos.join(', ')}</span> : null}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
      {paging.silences.length > 0 ? (
        <div role="note">
          <strong>Silenced now:</strong>
          <ul className="plain-list">
            {paging.silences.map((s) => (
              <li key={s.id}>
                {s.scope === 'team' ? `team ${s.team}` : s.scope === 'service' ? 'this service' : `SLO ${s.slo ?? '?'}`} until <LocalTime iso={s.endsAt} /> —{' '}
                {s.reason} <span className="muted">({s.createdBy})</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
