'use client';

import Link from 'next/link';
import type { ApiToken } from '@/lib/schemas';
import { revokeToken } from '@/lib/queries/tokens';
import { Badge } from '../badges';
import { LocalTime } from '../local-time';
import { RevokeButton } from '../revoke-button';
import { EditTokenButton } from './edit-token';

/** Revoking a token: a service using it stops being counted, a pipeline stops being answered. */
function RevokeTokenButton({ token, onRevoked }: { token: ApiToken; onRevoked: (token: ApiToken) => void }) {
  return (
    <RevokeButton
      label={`Revoke ${token.name}`}
      title={<>Revoke token “{token.name}”?</>}
      consequence={
        <>
          Anything using <code>{token.prefix}…</code> is refused (401) within 10 seconds: exporters pushing metrics with it, pipelines asking the gate, scripts.
          This cannot be undone; the token stays listed as revoked.
        </>
      }
      confirm="Revoke token"
      revoke={() => revokeToken(token.id)}
      onRevoked={onRevoked}
    />
  );
}

function TokenState({ token, asOf }: { token: ApiToken; asOf: string }) {
  if (token.revokedAt) {
    return (
      <>
        <Badge tone="muted">Revoked</Badge>
        <div className="row-meta">
          <LocalTime iso={token.revokedAt} year />
        </div>
      </>
    );
  }
  if (token.expiresAt && Date.parse(token.expiresAt) <= Date.parse(asOf)) return <Badge tone="warning">Expired</Badge>;
  return <Badge tone="ok">Active</Badge>;
}

/** What an ingest token's points may count toward: its teams' SLOs (or every team's), from its service.names (or any). */
export function IngestBindings({ token }: { token: ApiToken }) {
  const personal = token.kind === 'personal';
  return (
    <div data-testid="token-bindings">
      <div>{personal ? `as ${token.owner ?? '?'} may` : token.teams.length > 0 ? `teams ${token.teams.join(', ')}` : 'every team'}</div>
      <div className="row-meta">{token.serviceNames.length > 0 ? `service.name ${token.serviceNames.join(', ')}` : 'any service.name'}</div>
    </div>
  );
}

export interface TokenTableProps {
  tokens: ApiToken[];
  /** When the page was rendered: tokens that expired by then are shown as expired (server and browser agree). */
  asOf: string;
  onRevoked: (token: ApiToken) => void;
  /** When given, each live token can be renamed and rebound (teams, service.name pins). */
  onUpdated?: (token: ApiToken) => void;
  caption?: string;
  emptyText?: string;
  /** Whose each token is, the teams it is limited to and who made it (the admins' list of every token). */
  detailed?: boolean;
}

/** Every token, newest first with revoked ones last; never the token itself, only its first characters. */
export function TokenTable({
  tokens,
  asOf,
  onRevoked,
  onUpdated,
  caption = 'Ingest tokens',
  emptyText = 'No ingest tokens yet. Create one above for each service or Collector that will push metrics.',
  detailed = false,
}: TokenTableProps) {
  if (tokens.length === 0) return <p className="muted">{emptyText}</p>;
  // Which SLOs a token's points may count toward matters wherever ingest tokens are listed.
  const feeds = tokens.some((t) => t.scopes.includes('ingest'));
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Token</th>
            {detailed ? <th scope="col">Acts as</th> : null}
            <th scope="col">Scopes</th>
            {feeds ? <th scope="col">May feed</th> : null}
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id} data-token={token.id} data-token-name={token.name}>
              <th scope="row">
                <span className="row-title">{token.name}</span>
              </th>
              <td>
                <code title="The token’s first characters">{token.prefix}…</code>
              </td>
              {detailed ? (
                <td>
                  {token.kind === 'personal' ? `${token.owner ?? '?'} (personal)` : 'itself (service)'}
                  {token.teams.length > 0 ? <div className="row-meta">teams {token.teams.join(', ')}</div> : null}
                  {token.createdBy ? <div className="row-meta">made by {token.createdBy}</div> : null}
                </td>
              ) : null}
              <td>{token.scopes.join(', ')}</td>
              {feeds ? <td>{token.scopes.includes('ingest') ? <IngestBindings token={token} /> : <span className="muted">no ingest</span>}</td> : null}
              <td>
                <LocalTime iso={token.createdAt} year />
              </td>
              <td>{token.lastUsedAt ? <LocalTime iso={token.lastUsedAt} year /> : <span className="muted">Never</span>}</td>
              <td>{token.expiresAt ? <LocalTime iso={token.expiresAt} year /> : <span className="muted">Never</span>}</td>
              <td>
                <TokenState token={token} asOf={asOf} />
              </td>
              <td>
                <div className="row-actions">
                  {detailed ? (
                    <Link className="btn btn-secondary btn-sm" href={`/audit?token=${encodeURIComponent(token.id)}`} aria-label={`History of ${token.name}`}>
                      History
                    </Link>
                  ) : null}
                  {token.revokedAt || !onUpdated ? null : <EditTokenButton token={token} onUpdated={onUpdated} />}
                  {token.revokedAt ? null : <RevokeTokenButton token={token} onRevoked={onRevoked} />}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
