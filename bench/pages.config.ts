import path from 'node:path';
import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

/**
 * `npm run bench:pages`: the pages people wait for, measured in headless Chromium against the production build
 * (`npm run build` first) on the e2e server (e2e/serve.ts: a throwaway database with the demo's 90 days). Prints
 * figures; asserts nothing about speed (benchmarks measure, tests decide).
 */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: /pages\.bench\.ts$/,
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 600_000,
  reporter: [['list']],
  // e2e/serve.ts, run from the repository's top folder as the suite runs it.
  webServer: base.webServer && !Array.isArray(base.webServer) ? { ...base.webServer, cwd: path.resolve(import.meta.dirname, '..') } : base.webServer,
  projects: [
    { name: 'setup', testDir: '../e2e', testMatch: /auth\.setup\.ts$/ },
    { name: 'bench', dependencies: ['setup'], use: { viewport: { width: 1280, height: 900 } } },
  ],
});
