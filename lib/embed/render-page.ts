import { escapeXml } from './escape';
import type { EmbedTheme } from './panel-data';

/**
 * The iframe page: a bare HTML document around the panel's inline SVG. No script, no external resource, nothing
 * fetched after the first paint; links open in the top window (the wiki), not in the frame.
 */
export function renderEmbedPage({ title, svg, theme }: { title: string; svg: string; theme: EmbedTheme }): string {
  const scheme = theme === 'auto' ? 'light dark' : theme;
  // The SVG is a document of its own; inline, its XML declaration (if any) must go.
  const inline = svg.replace(/^<\?xml[^>]*>\s*/, '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="${scheme}">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeXml(title)}</title>
<style>html,body{margin:0;padding:0;background:transparent;overflow:hidden}svg{display:block;max-width:100%;height:auto}</style>
</head>
<body>
${inline}
</body>
</html>
`;
}
