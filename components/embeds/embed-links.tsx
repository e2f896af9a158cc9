'use client';

import type { EmbedLink } from '@/lib/schemas';
import { revokeEmbed } from '@/lib/queries/embeds';
import { Badge } from '../badges';
import { LocalTime } from '../local-time';
import { RevokeButton } from '../revoke-button';
import { PANEL_LABELS } from './embed-code';

/**
 * Revoking an embed link, in a dialog over the Embed dialog (which ignores this one's close): every page that
 * shows the panel breaks.
 */
function RevokeEmbedButton({ link, name, onRevoked }: { link: EmbedLink; name: string; onRevoked: (link: EmbedLink) => void }) {
  return (
    <RevokeButton
      label={`Revoke ${name}`}
      title={<>Revoke embed link {name}?</>}
      consequence="Every page, wiki or README showing this panel gets “not found” instead, for the live page, the images and the badge alike. This cannot be undone; the link stays listed as revoked."
      confirm="Revoke link"
      revoke={() => revokeEmbed(link.id)}
      onRevoked={onRevoked}
    />
  );
}

const expired = (link: EmbedLink, asOf: number) => link.expiresAt !== null && Date.parse(link.expiresAt) <= asOf;

function LinkState({ link, asOf }: { link: EmbedLink; asOf: number }) {
  if (link.revokedAt) {
    return (
      <>
        <Badge tone="muted">Revoked</Badge>
        <div className="row-meta">
          <LocalTime iso={link.revokedAt} year />
        </div>
      </>
    );
  }
  if (expired(link, asOf)) return <Badge tone="warning">Expired</Badge>;
  return <Badge tone="ok">Active</Badge>;
}

/** How a link is named in buttons and the confirmation: its label, else its panel and creation time. */
function linkName(link: EmbedLink, sloName: (slug: string) => string): string {
  const what = link.slo === null ? PANEL_LABELS[link.panel] : `${PANEL_LABELS[link.panel]} of ${sloName(link.slo)}`;
  return link.label ? `“${link.label}” (${what})` : `${what} created ${link.createdAt.slice(0, 16).replace('T', ' ')} UTC`;
}

export interface EmbedLinksProps {
  links: EmbedLink[];
  /** When the list was fetched: links that expired by then are shown as expired. */
  asOf: number;
  /** The service page lists every SLO's links, so it shows which SLO each belongs to. */
  showSlo: boolean;
  sloName: (slug: string) => string;
  /** The link whose code is shown above, if any. */
  currentId: string | null;
  onShow: (link: EmbedLink) => void;
  onRevoked: (link: EmbedLink) => void;
}

/** The embed links already made, newest first: show one's code again, or revoke it. */
export function EmbedLinks({ links, asOf, showSlo, sloName, currentId, onShow, onRevoked }: EmbedLinksProps) {
  if (links.length === 0) return <p className="muted">No embed links yet.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table embed-links">
        <caption className="visually-hidden">Embed links</caption>
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Panel</th>
            {showSlo ? <th scope="col">SLO</th> : null}
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {links.map((link) => {
            const name = linkName(link, sloName);
            return (
              <tr key={link.id} data-embed-id={link.id} aria-current={link.id === currentId ? 'true' : undefined}>
                <th scope="row">{link.label ? <span className="row-title">{link.label}</span> : <span className="muted">No label</span>}</th>
                <td>{PANEL_LABELS[link.panel]}</td>
                {showSlo ? <td>{link.slo === null ? <span className="muted">(service)</span> : sloName(link.slo)}</td> : null}
                <td>
                  <LocalTime iso={link.createdAt} year />
                </td>
                <td>{link.expiresAt ? <LocalTime iso={link.expiresAt} year /> : <span className="muted">Never</span>}</td>
                <td>
                  <LinkState link={link} asOf={asOf} />
                </td>
                <td className="embed-link-actions">
                  {link.revokedAt ? null : (
                    <>
                      {expired(link, asOf) ? null : (
                        <button type="button" className="btn btn-secondary btn-sm" onClick={() => onShow(link)} aria-label={`Show the code of ${name}`}>
                          Show code
                        </button>
                      )}
                      <RevokeEmbedButton link={link} name={name} onRevoked={onRevoked} />
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
