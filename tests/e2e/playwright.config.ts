import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Each run starts the real server (debug build) on a fresh database, serving the release app.
const port = Number(process.env.PORTICO_E2E_PORT ?? 8787);
// Made once, in the runner: its workers load this file again and inherit the variable, so a
// journey can run the server's commands on the same database (tests/e2e/staff-link.spec.ts).
process.env.PORTICO_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'portico-e2e-'));
const dataDir = process.env.PORTICO_E2E_DATA_DIR;
const root = join(__dirname, '..', '..');

const origin = `http://127.0.0.1:${port}`;
const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const desktop = { viewport: { width: 1280, height: 800 } };
// Chinese is the deployment's default: nothing stored. English is a returning customer's choice,
// kept where the app keeps it.
const chinese = { lang: 'zh-CN' as const, locale: 'zh-CN' };
const english = {
  lang: 'en' as const,
  locale: 'en-US',
  storageState: { cookies: [], origins: [{ origin, localStorage: [{ name: 'portico.locale', value: 'en' }] }] },
};

export default defineConfig<{ lang: 'zh-CN' | 'en' }>({
  testDir: '.',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: origin,
    timezoneId: 'Asia/Shanghai',
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
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
  // Every journey runs on a phone and on a desktop, and in each language: in Chinese on the phone
  // and in English on the desktop. The journeys about language or layout (tagged @matrix) run in
  // all four combinations.
  projects: [
    { name: 'phone-zh', use: { ...phone, ...chinese } },
    { name: 'desktop-en', use: { ...desktop, ...english } },
    { name: 'desktop-zh', use: { ...desktop, ...chinese }, grep: /@matrix/ },
    { name: 'phone-en', use: { ...phone, ...english }, grep: /@matrix/ },
  ],
  webServer: {
    command: `${join(root, 'target/debug/portico-server')} --static-dir ${join(root, 'dist')}`,
    url: `http://127.0.0.1:${port}/api/auth/session`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORTICO_ADDR: `127.0.0.1:${port}`,
      PORTICO_DATA_DIR: dataDir,
      PORTICO_DEMO: '1',
      // The demo partner's page, on another origin (tests/e2e/widget.spec.ts).
      PORTICO_PARTNER_DEMO_ADDR: `127.0.0.1:${port + 1}`,
      // Shipments move only when a test asks (POST /api/dev/advance-shipments).
      PORTICO_DEMO_ADVANCE_SECS: '0',
      PORTICO_TRACKING_REFRESH_SECS: '5',
      // Both viewports sign in many times from one address; the limits themselves are covered
      // by the server's integration tests.
      PORTICO_RATE_LIMIT_FACTOR: '50',
      RUST_LOG: 'warn',
    },
  },
});
