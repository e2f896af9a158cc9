import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, test } from 'vitest';
import * as embeds from '../../app/api/v1/embeds/route';
import * as embed from '../../app/api/v1/embeds/[embed]/route';
import * as page from '../../app/embed/[token]/route';
import * as svgRoute from '../../app/embed/[token]/panel.svg/route';
import * as pngRoute from '../../app/embed/[token]/panel.png/route';
import * as badgeRoute from '../../app/embed/[token]/badge.svg/route';
import { db } from '../../lib/db/client';
import { reloadEnv } from '../../lib/env';
import { EmbedLink } from '../../lib/schemas';
import { callRoute, constantBuckets, makeService, makeSlo, makeSloWithBuckets } from '../factories';

type Handler = (req: Request, ctx: { params: Promise<{ token: string }> }) => Promise<Response>;
const MIN = 60_000;
const now = () => new Date(Math.floor(Date.now() / MIN) * MIN);

async function create(body: unknown): Promise<Response> {
  return callRoute(embeds.POST, { method: 'POST', body, path: '/api/v1/embeds' });
}

function get(handler: Handler, token: string, query = ''): Promise<Response> {
  return handler(new Request(`http://umpire.test/embed/${token}${query}`), { params: Promise.resolve({ token }) });
}

/** Well-formed XML or a thrown error naming the problem. */
function parseXml(text: string) {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(text, 'image/svg+xml');
}

async function sloWithHistory() {
  const to = now();
  return makeSloWithBuckets(constantBuckets(new Date(to.getTime() - 3 * 1440 * MIN), to, 100, 0.0005), { objective: 0.999, name: 'Availability' });
}

describe('embed links', () => {
  test('create, list and revoke; a link answers its page, SVG, PNG and badge until revoked', async () => {
    const slo = await sloWithHistory();
    const response = await create({ service: slo.serviceSlug, slo: slo.slug, panel: 'burn_rate', label: 'team wiki' });
    expect(response.status).toBe(201);
    const link = EmbedLink.parse(await response.json());
    expect(link).toMatchObject({ service: slo.serviceSlug, slo: slo.slug, panel: 'burn_rate', label: 'team wiki', expiresAt: null, revokedAt: null });
    expect(link.urls.page).toBe(`http://umpire.test/embed/${link.token}`);

    const html = await get(page.GET, link.token, '?range=1d&theme=dark');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain('frame-ancestors *');
    const body = await html.text();
    expect(body).toContain('<svg');
    expect(body).not.toMatch(/<script/i);

    const svg = await get(svgRoute.GET, link.token, '?width=900&height=400');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const doc = parseXml(await svg.text());
    expect(doc.documentElement!.getAttribute('width')).toBe('900');

    const png = await get(pngRoute.GET, link.token, '?width=400&height=200');
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.readUInt32BE(16)).toBe(400); // IHDR width

    const badge = await get(badgeRoute.GET, link.token);
    expect(badge.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(parseXml(await badge.text()).documentElement!.textContent).toMatch(/99\.95%/);

    const { embeds: listed } = (await (await callRoute(embeds.GET, { path: `/api/v1/embeds?service=${slo.serviceSlug}` })).json()) as { embeds: unknown[] };
    expect(listed.map((e) => EmbedLink.parse(e).id)).toEqual([link.id]);

    const revoked = await callRoute(embed.DELETE, { method: 'DELETE', params: { embed: link.id }, path: '/api/v1/embeds/x' });
    expect(EmbedLink.parse(await revoked.json()).revokedAt).not.toBeNull();
    for (const handler of [page.GET, svgRoute.GET, pngRoute.GET, badgeRoute.GET]) expect((await get(handler, link.token)).status).toBe(404);
  });

  test("links back follow UMPIRE_PUBLIC_URL when set (shared caches may keep them), else the asker's host and only the asker may cache them", async () => {
    const slo = await sloWithHistory();
    const link = EmbedLink.parse(await (await create({ service: slo.serviceSlug, slo: slo.slug, panel: 'budget' })).json());
    const asked = (handler: Handler, suffix: string) =>
      handler(new Request(`http://umpire.test/embed/${link.token}${suffix}`, { headers: { host: 'umpire.test', 'x-forwarded-host': 'evil.example' } }), {
        params: Promise.resolve({ token: link.token }),
      });
    const routes: Array<[Handler, string]> = [
      [page.GET, ''],
      [svgRoute.GET, '/panel.svg'],
      [pngRoute.GET, '/panel.png'],
    ];
    const saved = process.env.UMPIRE_PUBLIC_URL;
    try {
      // Not configured: the asker's own host in the links, so the answer is private: a shared cache keyed on the URL
      // would otherwise hand evil.example's links to everyone who asks next.
      delete process.env.UMPIRE_PUBLIC_URL;
      reloadEnv();
      for (const [handler, suffix] of routes) {
        const response = await asked(handler, suffix);
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control'), suffix).toBe('private, max-age=60');
        expect(response.headers.get('cache-control'), suffix).not.toContain('public');
      }
      expect(await (await asked(svgRoute.GET, '/panel.svg')).text()).toContain('http://evil.example/services/');

      // Configured: the same links whoever asks, and cacheable by anyone.
      process.env.UMPIRE_PUBLIC_URL = 'https://slo.example.com';
      reloadEnv();
      for (const [handler, suffix] of routes) {
        const response = await asked(handler, suffix);
        expect(response.headers.get('cache-control'), suffix).toBe('public, max-age=60');
        if (suffix !== '/panel.png') {
          const text = await response.text();
          expect(text).toContain(`https://slo.example.com/services/${slo.serviceSlug}`);
          expect(text).not.toContain('evil.example');
        }
      }
    } finally {
      if (saved === undefined) delete process.env.UMPIRE_PUBLIC_URL;
      else process.env.UMPIRE_PUBLIC_URL = saved;
      reloadEnv();
    }
    // The badge holds no link: the same for everyone, always shared-cacheable.
    expect((await asked(badgeRoute.GET, '/badge.svg')).headers.get('cache-control')).toBe('public, max-age=60');
  });

  test('tampered, unknown and expired tokens get the same 404, whether or not the SLO exists', async () => {
    const slo = await sloWithHistory();
    const link = EmbedLink.parse(await (await create({ service: slo.serviceSlug, slo: slo.slug, panel: 'budget', expiresInDays: 1 })).json());
    expect((await get(page.GET, link.token)).status).toBe(200);
    const answers: string[] = [];
    const flipped = link.token.slice(0, -1) + (link.token.endsWith('A') ? 'B' : 'A');
    const otherId = `${'0'.repeat(32)}${link.token.slice(32)}`;
    for (const token of [flipped, otherId, 'nonsense', link.token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))]) {
      const response = await get(page.GET, token);
      expect(response.status).toBe(404);
      answers.push(await response.text());
    }
    await db().embedToken.update({ where: { id: link.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await get(page.GET, link.token);
    expect(expired.status).toBe(404);
    answers.push(await expired.text());
    await db().slo.delete({ where: { id: slo.id } }); // the link's SLO gone: cascades, still the same answer
    const gone = await get(page.GET, link.token);
    expect(gone.status).toBe(404);
    answers.push(await gone.text());
    expect(new Set(answers).size).toBe(1);
  });

  test('a token never reads anything else: the panel kind and target are the link’s, not the URL’s', async () => {
    const slo = await sloWithHistory();
    const other = await sloWithHistory();
    const link = EmbedLink.parse(await (await create({ service: slo.serviceSlug, slo: slo.slug, panel: 'sli' })).json());
    const body = await (await get(page.GET, link.token, `?service=${other.serviceSlug}&slo=${other.slug}&panel=service`)).text();
    expect(body).toContain(slo.serviceSlug);
    expect(body).not.toContain(other.serviceSlug);
  });

  test('user strings are inert in the HTML page and the SVG', async () => {
    const hostile = `<script>alert(1)</script> "quotes" 'apos' & co`;
    const service = await makeService({ name: hostile });
    const created = await makeSlo(service.slug, { name: `${hostile} SLO` });
    for (const panel of ['burn_rate', 'budget', 'sli'] as const) {
      const link = EmbedLink.parse(await (await create({ service: service.slug, slo: created.slug, panel })).json());
      const html = await (await get(page.GET, link.token)).text();
      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      const svg = await (await get(svgRoute.GET, link.token)).text();
      const doc = parseXml(svg);
      expect(doc.getElementsByTagName('script').length).toBe(0);
      expect(doc.documentElement!.textContent).toContain(hostile);
      const badge = parseXml(await (await get(badgeRoute.GET, link.token)).text());
      expect(badge.getElementsByTagName('script').length).toBe(0);
    }
    const summary = EmbedLink.parse(await (await create({ service: service.slug, panel: 'service' })).json());
    const svg = parseXml(await (await get(svgRoute.GET, summary.token)).text());
    expect(svg.documentElement!.textContent).toContain(hostile);
    expect((await get(badgeRoute.GET, summary.token)).status).toBe(404); // badges are per SLO
  });

  test('bad input: 400 with the field; unknown SLO: 404; bad view parameters: 400', async () => {
    const slo = await sloWithHistory();
    const bad = await create({ service: slo.serviceSlug, panel: 'burn_rate', expiresInDays: 0 });
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).sort()).toEqual(['expiresInDays', 'slo']);
    expect((await create({ service: slo.serviceSlug, slo: 'nope', panel: 'sli' })).status).toBe(404);
    const link = EmbedLink.parse(await (await create({ service: slo.serviceSlug, slo: slo.slug, panel: 'sli' })).json());
    expect((await get(svgRoute.GET, link.token, '?width=99999')).status).toBe(400);
  });
});
