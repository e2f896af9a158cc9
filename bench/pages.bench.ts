import { test, type Browser, type Page } from '@playwright/test';
import { ADMIN_STATE, e2eAuth } from '../e2e/auth';

// Loads each page LOADS times, each in a fresh browser context (nothing cached), and prints per page the median
// and p95 of: largest contentful paint, the moment the charts are drawn with data (SLO page), and the JavaScript
// transferred before the page was usable. The baseline, measured in the same run: the API call that carries the
// page's data, alone.

const LOADS = Number(process.env.BENCH_LOADS ?? 15);

interface Load {
  lcp: number;
  /** The three charts first on screen with data: the server's (or, without them, the interactive ones). */
  firstCharts: number | null;
  charts: number | null;
  jsBytes: number;
  jsFiles: number;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
};
const ms = (value: number) => `${Math.round(value)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

async function measure(browser: Browser, path: string, charts: boolean): Promise<Load> {
  const context = await browser.newContext({ storageState: ADMIN_STATE, viewport: { width: 1280, height: 900 } });
  const page: Page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __lcp: number; __chartsAt: number | null; __interactiveAt: number | null };
    w.__lcp = 0;
    w.__chartsAt = null;
    w.__interactiveAt = null;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__lcp = entry.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    // Every frame from the first: when the three charts are first on screen with data (any SVG: the server's or the
    // interactive ones), and when the interactive ones are (as e2e/slo.spec.ts checks them).
    const drawn = (svg: Element) => [...svg.querySelectorAll('path')].some((p) => (p.getAttribute('d') ?? '').length > 20);
    const look = () => {
      const all = [...document.querySelectorAll('[data-testid="slo-charts"] .chart-card svg')].filter(drawn);
      if (w.__chartsAt === null && all.length >= 3) w.__chartsAt = performance.now();
      const interactive = [...document.querySelectorAll('[data-testid="slo-charts"] svg.recharts-surface')].filter(
        (svg) => (svg.querySelector('path.recharts-curve')?.getAttribute('d') ?? '').length > 20,
      );
      if (w.__interactiveAt === null && interactive.length >= 3) w.__interactiveAt = performance.now();
      if (w.__interactiveAt === null) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  await page.goto(path, { waitUntil: 'load' });
  let chartsAt: number | null = null;
  let firstChartsAt: number | null = null;
  if (charts) {
    await page.waitForFunction(() => (window as unknown as { __interactiveAt: number | null }).__interactiveAt !== null, undefined, { timeout: 30_000 });
    const at = await page.evaluate(() => {
      const w = window as unknown as { __chartsAt: number; __interactiveAt: number };
      return { first: w.__chartsAt, interactive: w.__interactiveAt };
    });
    firstChartsAt = at.first;
    chartsAt = at.interactive;
  }
  await page.waitForLoadState('networkidle');
  const figures = await page.evaluate(() => {
    const scripts = performance
      .getEntriesByType('resource')
      .filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script') as PerformanceResourceTiming[];
    return {
      lcp: (window as unknown as { __lcp: number }).__lcp,
      jsBytes: scripts.reduce((sum, e) => sum + e.encodedBodySize, 0),
      jsFiles: scripts.length,
    };
  });
  await context.close();
  return { ...figures, charts: chartsAt, firstCharts: firstChartsAt };
}

test('pages people wait for', async ({ browser, playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${e2eAuth().adminToken}` } });
  const to = Date.now();
  // The SLO page's default range: 7 days in 30-minute steps (lib/queries/slo.ts).
  const series = `/api/v1/services/checkout-api/slos/availability/series?from=${new Date(to - 7 * 86_400_000).toISOString()}&to=${new Date(to).toISOString()}&step=1800`;
  const apiTimes: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const started = performance.now();
    const response = await api.get(series);
    await response.body();
    apiTimes.push(performance.now() - started);
  }
  await api.dispose();

  const pages: Array<[string, string, boolean]> = [
    ['SLO page', '/services/checkout-api/slos/availability', true],
    ['service page', '/services/checkout-api', false],
    ['overview', '/', false],
  ];
  const lines = [`bench:pages: ${LOADS} cold loads each, headless Chromium, 1280x900`, ''];
  lines.push(
    `baseline: the SLO page's series API alone (7 days, 30-minute steps): p50 ${ms(quantile(apiTimes, 0.5))}, p95 ${ms(quantile(apiTimes, 0.95))}`,
    '',
  );
  lines.push(
    '| page | LCP p50 | LCP p95 | charts on screen p50 | p95 | charts interactive p50 | p95 | JavaScript (compressed) | files |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const [name, path, charts] of pages) {
    await measure(browser, path, charts); // warm the server's code paths, not measured
    const loads: Load[] = [];
    for (let i = 0; i < LOADS; i++) loads.push(await measure(browser, path, charts));
    const chartTimes = loads.map((l) => l.charts).filter((t): t is number => t !== null);
    const firstTimes = loads.map((l) => l.firstCharts).filter((t): t is number => t !== null);
    const lcp = loads.map((l) => l.lcp);
    const cell = (values: number[], q: number) => (values.length ? ms(quantile(values, q)) : '–');
    const js = kib(
      quantile(
        loads.map((l) => l.jsBytes),
        0.5,
      ),
    );
    const files = quantile(
      loads.map((l) => l.jsFiles),
      0.5,
    );
    lines.push(
      `| ${name} | ${cell(lcp, 0.5)} | ${cell(lcp, 0.95)} | ${cell(firstTimes, 0.5)} | ${cell(firstTimes, 0.95)} | ${cell(chartTimes, 0.5)} | ${cell(chartTimes, 0.95)} | ${js} | ${files} |`,
    );
    if (firstTimes.length) {
      const api = quantile(apiTimes, 0.5);
      lines.push(
        `|   ÷ the series API alone (p50) | | | ${(quantile(firstTimes, 0.5) / api).toFixed(1)}x | | ${(quantile(chartTimes, 0.5) / api).toFixed(1)}x | | | |`,
      );
    }
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
});
