import { describe, expect, test } from 'vitest';
import type { EmbedLink } from '@/lib/schemas';
import { embedSnippets, escapeHtml, escapeMarkdownText, iframeHtml, markdownImage, panelHref, panelTitle, withView } from './embed-code';

const view = { range: '30d', theme: 'dark', width: 900, height: 400 } as const;

const link: EmbedLink = {
  id: '00000000-0000-4000-8000-000000000001',
  service: 'checkout-api',
  slo: 'availability',
  panel: 'burn_rate',
  label: '',
  createdAt: '2026-11-26T10:00:00.000Z',
  expiresAt: null,
  revokedAt: null,
  token: 'abc.def',
  urls: {
    page: 'https://umpire.example.com/embed/abc.def',
    svg: 'https://umpire.example.com/embed/abc.def/panel.svg',
    png: 'https://umpire.example.com/embed/abc.def/panel.png',
    badge: 'https://umpire.example.com/embed/abc.def/badge.svg',
  },
};

describe('panelTitle', () => {
  test.each([
    ['burn_rate', 'Availability burn rate · Checkout'],
    ['budget', 'Availability error budget · Checkout'],
    ['sli', 'Availability SLI · Checkout'],
    ['service', 'Checkout SLOs'],
  ] as const)('%s', (panel, want) => expect(panelTitle(panel, { serviceName: 'Checkout', sloName: panel === 'service' ? null : 'Availability' })).toBe(want));
});

test('withView writes every view parameter, replacing ones already there', () => {
  expect(withView('https://u.example/embed/t?range=1d', view)).toBe('https://u.example/embed/t?range=30d&theme=dark&width=900&height=400');
});

test.each([
  ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ['"quotes" & \'apostrophes\'', '&quot;quotes&quot; &amp; &#39;apostrophes&#39;'],
])('escapeHtml(%s)', (text, want) => expect(escapeHtml(text)).toBe(want));

test('iframeHtml escapes the URL and the title inside their attributes', () => {
  expect(iframeHtml({ src: 'https://u.example/embed/t?range=7d&theme=auto', width: 600, height: 300, title: '"A" <b> & c' })).toBe(
    '<iframe src="https://u.example/embed/t?range=7d&amp;theme=auto" width="600" height="300" style="border:0" title="&quot;A&quot; &lt;b&gt; &amp; c" loading="lazy"></iframe>',
  );
});

test.each([
  ['Checkout [EU] *beta*', 'Checkout \\[EU\\] \\*beta\\*'],
  ['<script>alert(1)</script> & co', '\\<script\\>alert(1)\\</script\\> \\& co'],
  ['line\nbreak', 'line break'],
])('escapeMarkdownText(%j)', (text, want) => expect(escapeMarkdownText(text)).toBe(want));

test('markdownImage keeps parentheses in URLs from closing the link', () => {
  expect(markdownImage({ title: 'T', image: 'https://u.example/a(b).png', href: 'https://u.example/s' })).toBe(
    '[![T](https://u.example/a%28b%29.png)](https://u.example/s)',
  );
});

test.each([
  [{ service: 'checkout-api', slo: 'availability' }, 'https://umpire.example.com/services/checkout-api/slos/availability'],
  [{ service: 'checkout-api', slo: null }, 'https://umpire.example.com/services/checkout-api'],
])('panelHref(%o)', (target, want) => expect(panelHref({ ...target, urls: link.urls })).toBe(want));

test('embedSnippets: iframe, Markdown image to the SLO page, badge and plain URL with the view', () => {
  const snippets = embedSnippets(link, view, { serviceName: 'Checkout', sloName: 'Availability' });
  const page = 'https://umpire.example.com/embed/abc.def?range=30d&theme=dark&width=900&height=400';
  expect(snippets.url).toBe(page);
  expect(snippets.iframe).toBe(
    `<iframe src="${page.replace(/&/g, '&amp;')}" width="900" height="400" style="border:0" title="Availability burn rate · Checkout" loading="lazy"></iframe>`,
  );
  expect(snippets.markdown).toBe(
    '[![Availability burn rate · Checkout](https://umpire.example.com/embed/abc.def/panel.png?range=30d&theme=dark&width=900&height=400)](https://umpire.example.com/services/checkout-api/slos/availability)',
  );
  expect(snippets.badge).toBe(
    '[![Availability · Checkout](https://umpire.example.com/embed/abc.def/badge.svg)](https://umpire.example.com/services/checkout-api/slos/availability)',
  );
});

test('the service panel has no badge', () => {
  const snippets = embedSnippets({ ...link, slo: null, panel: 'service', urls: { ...link.urls, badge: null } }, view, {
    serviceName: 'Checkout',
    sloName: null,
  });
  expect(snippets.badge).toBeNull();
  expect(snippets.markdown).toContain('](https://umpire.example.com/services/checkout-api)');
});
