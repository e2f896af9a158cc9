'use client';

import { useQuery } from '@tanstack/react-query';
import type { SloFeeders } from '@/lib/schemas';
import { errorMessage } from '@/lib/queries/api';
import { sloFeedersOptions } from '@/lib/queries/slo';
import { Badge } from '../badges';
import { formatCount } from '@/lib/format';
import { LocalTime } from '../local-time';

/** Which ingest tokens fed the SLO in the last days: name, when last, how many points. Displays what it is given. */
export function FeedersList({ feeders }: { feeders: SloFeeders }) {
  if (feeders.feeders.length === 0) {
    return <p className="small muted">No token has fed it in the last {feeders.days} days.</p>;
  }
  return (
    <div className="table-wrap flat">
      <table className="data-table" data-testid="slo-feeders">
        <caption className="visually-hidden">Ingest tokens that fed this SLO in the last {feeders.days} days</caption>
        <thead>
          <tr>
            <th scope="col">Token</th>
            <th scope="col">Last fed</th>
            <th scope="col" className="num">
              Points
            </th>
          </tr>
        </thead>
        <tbody>
          {feeders.feeders.map((f) => (
            <tr key={f.token.id} data-token-name={f.token.name}>
              <th scope="row">
                {f.token.name} {f.token.kind === 'personal' ? <Badge tone="muted">personal</Badge> : null}
                {f.token.revoked ? <Badge tone="muted">revoked</Badge> : null}
              </th>
              <td>
                <LocalTime iso={f.lastFedAt} />
              </td>
              <td className="num mono" title={`since ${new Date(f.firstFedAt).toISOString()}`}>
                {formatCount(f.points)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The data collection panel's list of the tokens feeding an OpenTelemetry SLO: a token its owners do not expect
 * there is the first sign of an exporter pushing where it should not. Points a token may not feed are refused
 * (the exporter is told, the server logs it) and never listed here.
 */
export function SloFeedersSection({ service, slo }: { service: string; slo: string }) {
  const query = useQuery(sloFeedersOptions(service, slo));
  return (
    <div className="slo-feeders" data-testid="feeders">
      <h3>Fed by</h3>
      <p className="small muted">The ingest tokens whose points counted toward this SLO lately, with the points each brought since it first did.</p>
      {query.data ? (
        <FeedersList feeders={query.data} />
      ) : query.isError ? (
        <p className="small" role="alert">
          Could not load the tokens that fed it: {errorMessage(query.error)}
        </p>
      ) : (
        <p className="small muted" role="status">
          Loading…
        </p>
      )}
    </div>
  );
}
