import { defineConfig, devices } from '@playwright/test';
import { ADMIN_STATE } from './e2e/auth';

/**
 * End-to-end tests against the production build. Build first (`npm run build`, which `npm test` does);
 * e2e/serve.ts then creates a throwaway database, migrates and seeds it, and serves the production build on
 * PORT as `npm start` does (scripts/server.ts).
 * Debian's Chromium is used because Playwright's browser download is not available here.
 */
const PORT = Number(process.env.E2E_PORT ?? 3107);
// E2E_BASE_URL points the suite at a server you run yourself (e.g. `next dev`) and skips e2e/serve.ts.
const external = process.env.E2E_BASE_URL;
const baseURL = external ?? `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: './e2e',
  testMatch: /.*\.(spec|setup)\.ts$/,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Two cores: two workers keep the server (which fills 90 days of buckets per new SLO) responsive.
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    // Signs the admin in once through the sign-in page; the tests' pages start from that session.
    { name: 'setup', testMatch: /auth\.setup\.ts$/, use: { ...devices['Desktop Chrome'] } },
    {
      name: 'chromium',
      testMatch: /.*\.spec\.ts$/,
      dependencies: ['setup'],
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 900 }, storageState: ADMIN_STATE },
    },
  ],
  webServer: external
    ? undefined
    : {
        command: 'node --import tsx e2e/serve.ts',
        url: `${baseURL}/api/health`,
        env: { E2E_PORT: String(PORT), NEXT_TELEMETRY_DISABLED: '1' },
        reuseExistingServer: false,
        timeout: 180_000,
        stdout: 'ignore',
        stderr: 'pipe',
        // SIGTERM lets serve.ts stop next and drop its database; SIGKILL follows if it hangs.
        gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
      },
});
