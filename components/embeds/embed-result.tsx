'use client';

import { useState, type Ref } from 'react';
import type { EmbedLink, EmbedView } from '@/lib/schemas';
import { LocalTime } from '../local-time';
import { CopyField } from './copy-field';
import { embedSnippets, PANEL_LABELS, panelTitle, type EmbedSnippets, type PanelNames } from './embed-code';

export interface EmbedResultProps {
  idPrefix: string;
  link: EmbedLink;
  /** null while the size fields hold something invalid. */
  view: EmbedView | null;
  names: PanelNames;
  /** Set when the link was just created (rather than picked from the list). */
  justCreated: boolean;
  ref?: Ref<HTMLElement>;
}

/** The chosen link: a live preview (the page in an iframe, the image beside it) and the code to copy. */
export function EmbedResult({ idPrefix, link, view, names, justCreated, ref }: EmbedResultProps) {
  const [format, setFormat] = useState<'png' | 'svg'>('png');
  const snippets = view === null ? null : embedSnippets(link, view, names);
  const title = panelTitle(link.panel, names);
  const heading = `${justCreated ? 'Embed link created' : 'Embed link'}: ${PANEL_LABELS[link.panel]}${link.label ? ` “${link.label}”` : ''}`;

  return (
    <section ref={ref} tabIndex={-1} className="embed-result" aria-labelledby={`${idPrefix}-result-title`} data-testid="embed-result" data-embed-id={link.id}>
      <h3 id={`${idPrefix}-result-title`}>{heading}</h3>
      <p className="field-hint">
        {title}.{' '}
        {link.expiresAt ? (
          <>
            Expires <LocalTime iso={link.expiresAt} year />.
          </>
        ) : (
          'Never expires.'
        )}{' '}
        Anyone with the link can see this panel (read-only) until it expires or is revoked.
      </p>

      {view === null || snippets === null ? (
        <div className="callout callout-warning" role="note">
          <span>Correct the size above to see the preview and the code.</span>
        </div>
      ) : (
        <>
          <div className="embed-preview-row">
            <figure className="embed-preview">
              <figcaption>Live page (iframe)</figcaption>
              <div className="embed-preview-frame">
                <iframe key={`${link.id}-page`} src={snippets.url} width={view.width} height={view.height} title={`Preview: ${title}`} />
              </div>
            </figure>
            <figure className="embed-preview">
              <figcaption>
                Image{' '}
                <span className="range-picker embed-format" role="group" aria-label="Image format">
                  {(['png', 'svg'] as const).map((f) => (
                    <button key={f} type="button" aria-pressed={format === f} onClick={() => setFormat(f)}>
                      {f.toUpperCase()}
                    </button>
                  ))}
                </span>
              </figcaption>
              <div className="embed-preview-frame">
                {/* The panel is drawn by the server for exactly this size; there is nothing for next/image to optimise. */}
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={snippets[format]} width={view.width} height={view.height} alt={title} />
              </div>
            </figure>
          </div>
          <Snippets idPrefix={idPrefix} snippets={snippets} />
        </>
      )}
    </section>
  );
}

function Snippets({ idPrefix, snippets }: { idPrefix: string; snippets: EmbedSnippets }) {
  return (
    <div className="embed-snippets">
      <CopyField id={`${idPrefix}-iframe`} label="iframe HTML" value={snippets.iframe} hint="For pages that allow iframes: the panel stays live." />
      <CopyField
        id={`${idPrefix}-markdown`}
        label="Markdown image"
        value={snippets.markdown}
        hint="For READMEs and wikis that allow no iframes: a PNG image linking to the page in Umpire."
      />
      {snippets.badge !== null ? (
        <CopyField id={`${idPrefix}-badge`} label="Badge Markdown" value={snippets.badge} hint="A one-line badge: SLI and budget left." />
      ) : null}
      <CopyField id={`${idPrefix}-url`} label="Plain URL" value={snippets.url} />
    </div>
  );
}
