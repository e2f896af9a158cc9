import type { EmbedLink, EmbedPanel, EmbedView } from '@/lib/schemas';

// The snippets the Embed dialog offers for copying. Pure, so the escaping is unit-tested rather than trusted.

export const PANEL_LABELS: Record<EmbedPanel, string> = {
  burn_rate: 'Burn rate',
  budget: 'Error budget',
  sli: 'SLI',
  service: 'Service summary',
};

export const SIZE_PRESETS = {
  small: { width: 400, height: 200 },
  medium: { width: 600, height: 300 },
  large: { width: 900, height: 400 },
} as const;
export type SizePreset = keyof typeof SIZE_PRESETS;

export interface PanelNames {
  serviceName: string;
  /** null for the service summary. */
  sloName: string | null;
}

/** What the panel is called in an iframe's title and an image's alt text: "Availability burn rate · Checkout API". */
export function panelTitle(panel: EmbedPanel, { serviceName, sloName }: PanelNames): string {
  if (panel === 'service' || sloName === null) return `${serviceName} SLOs`;
  const what = panel === 'burn_rate' ? 'burn rate' : panel === 'budget' ? 'error budget' : 'SLI';
  return `${sloName} ${what} · ${serviceName}`;
}

/** An embed URL with the view parameters; they are always written out, so a pasted link never changes meaning. */
export function withView(url: string, view: EmbedView): string {
  const parsed = new URL(url);
  parsed.searchParams.set('range', view.range);
  parsed.searchParams.set('theme', view.theme);
  parsed.searchParams.set('width', String(view.width));
  parsed.searchParams.set('height', String(view.height));
  return parsed.toString();
}

/** Text for an HTML attribute value in double quotes (also safe as element text). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function iframeHtml({ src, width, height, title }: { src: string; width: number; height: number; title: string }): string {
  return `<iframe src="${escapeHtml(src)}" width="${width}" height="${height}" style="border:0" title="${escapeHtml(title)}" loading="lazy"></iframe>`;
}

/** Backslash-escapes what CommonMark would read as markup or an entity (any ASCII punctuation may be escaped). */
export function escapeMarkdownText(text: string): string {
  return text.replace(/[\\`*_[\]<>&!]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}

/** A URL as a Markdown link destination: parentheses and spaces would end or break it. */
export function markdownUrl(url: string): string {
  return url.replace(/ /g, '%20').replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** `[![title](image)](href)`: the image links to the page it summarises. */
export function markdownImage({ title, image, href }: { title: string; image: string; href: string }): string {
  return `[![${escapeMarkdownText(title)}](${markdownUrl(image)})](${markdownUrl(href)})`;
}

/** The Umpire page a panel summarises, on the origin the API put in the embed URLs. */
export function panelHref(link: Pick<EmbedLink, 'service' | 'slo' | 'urls'>): string {
  const service = `/services/${encodeURIComponent(link.service)}`;
  const path = link.slo === null ? service : `${service}/slos/${encodeURIComponent(link.slo)}`;
  return new URL(path, link.urls.page).toString();
}

/** The badge states SLI and budget whatever the panel, so it is named after the SLO alone. */
function badgeTitle({ serviceName, sloName }: PanelNames): string {
  return sloName === null ? `${serviceName} SLOs` : `${sloName} · ${serviceName}`;
}

export interface EmbedSnippets {
  iframe: string;
  markdown: string;
  /** Only SLO panels have a badge. */
  badge: string | null;
  url: string;
  png: string;
  svg: string;
}

export function embedSnippets(link: EmbedLink, view: EmbedView, names: PanelNames): EmbedSnippets {
  const title = panelTitle(link.panel, names);
  const href = panelHref(link);
  const page = withView(link.urls.page, view);
  const png = withView(link.urls.png, view);
  return {
    iframe: iframeHtml({ src: page, width: view.width, height: view.height, title }),
    markdown: markdownImage({ title, image: png, href }),
    badge: link.urls.badge === null ? null : markdownImage({ title: badgeTitle(names), image: link.urls.badge, href }),
    url: page,
    png,
    svg: withView(link.urls.svg, view),
  };
}
