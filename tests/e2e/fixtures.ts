import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Lang = 'zh-CN' | 'en';
/** The app's own words for a key of `locales/<lang>.json`, with `{{ name }}` filled in. */
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

const dictionaries = new Map<string, unknown>();

/**
 * Reads the same locale files the bundle is built from, so a test names what the customer reads:
 * the portal's (`locales/`) or the widget's (`widget/locales/`).
 */
export function translate(
  lang: Lang,
  key: string,
  vars: Record<string, string | number> = {},
  book = 'locales',
): string {
  const file = join(__dirname, '..', '..', book, `${lang}.json`);
  if (!dictionaries.has(file)) {
    dictionaries.set(file, JSON.parse(readFileSync(file, 'utf8')));
  }
  const value = key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], dictionaries.get(file));
  if (typeof value !== 'string') throw new Error(`no string "${key}" in ${book}/${lang}.json`);
  return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`"${key}" needs {{ ${name} }}`);
    return String(vars[name]);
  });
}

export const DEMO = {
  wang: 'wang.wei@example.com',
  li: 'li.na@example.com',
  chen: 'chen.jie@example.com',
};

/** Fen as the app writes money: `¥1,299.00`. */
export function yuan(fen: number) {
  return `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A moment as the app writes a date, in the shop's (and the test browsers') time zone, UTC+8. */
export function shopDate(t: Translate, iso: string) {
  const at = new Date(Date.parse(iso) + 8 * 3600 * 1000);
  return t('format.date')
    .replace('{year}', String(at.getUTCFullYear()))
    .replace('{month}', t('format.months').split(',')[at.getUTCMonth()])
    .replace('{day}', String(at.getUTCDate()));
}

/** The id of the newest message in the demo outbox (0 when it is empty). */
export async function newestMessage(request: APIRequestContext): Promise<number> {
  const messages: { id: number }[] = await (await request.get('/api/dev/outbox')).json();
  return messages[0]?.id ?? 0;
}

/**
 * The sign-in code in the first message to `to` newer than message `after`. The server delivers
 * codes off the request path, so this waits (up to 10 s) for the message to arrive.
 */
export async function codeSentAfter(request: APIRequestContext, to: string, after: number): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        const messages: { id: number; to: string; body: string }[] = await (await request.get('/api/dev/outbox')).json();
        code = messages.find((m) => m.to === to && m.id > after)?.body.match(/\b(\d{6})\b/)?.[1];
        return code;
      },
      { message: `a new code for ${to}`, timeout: 10_000 },
    )
    .toBeTruthy();
  return code!;
}

/** Signs a browser page in through the real form and the outbox. */
export async function signIn(page: Page, t: Translate, email: string) {
  await page.goto('/sign-in');
  await completeSignIn(page, t, email);
  await expect(page).toHaveURL(/\/orders$/);
}

/** Fills and sends the sign-in form the page shows now, with the code from the outbox. */
export async function completeSignIn(page: Page, t: Translate, email: string) {
  await page.getByLabel(t('sign_in.contact_label')).fill(email);
  const after = await newestMessage(page.request);
  await page.getByRole('button', { name: t('sign_in.send_code') }).click();
  await expect(page.getByLabel(t('sign_in.code_label'))).toBeVisible();
  const code = await codeSentAfter(page.request, email, after);
  await page.getByLabel(t('sign_in.code_label')).fill(code);
  await page.getByRole('button', { name: t('sign_in.verify'), exact: true }).click();
}

/**
 * Follows the header's link to a destination (`nav.*`), as a customer would: on a narrow screen
 * the destinations are behind the menu button.
 */
export async function goVia(page: Page, t: Translate, key: string) {
  const menu = page.getByRole('banner').getByRole('button', { name: t('nav.menu'), exact: true });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation', { name: t('nav.main') }).getByRole('link', { name: t(key), exact: true }).click();
}

/** Zero axe-core violations (WCAG 2.1 A/AA) on what the page shows now. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary).toEqual([]);
}

/**
 * Every journey runs in each project's language (`lang`, set in playwright.config.ts): `t` gives
 * that language's words. A project in English starts as a customer who chose English earlier.
 */
export const test = base.extend<{ lang: Lang; t: Translate; w: Translate; s: Translate; cspViolations: string[] }>({
  lang: ['zh-CN', { option: true }],
  t: async ({ lang }, use) => {
    await use((key, vars) => translate(lang, key, vars));
  },
  /** The widget's words (`widget/locales/`). */
  w: async ({ lang }, use) => {
    await use((key, vars) => translate(lang, key, vars, 'widget/locales'));
  },
  /** The staff app's words (`staff/locales/`). */
  s: async ({ lang }, use) => {
    await use((key, vars) => translate(lang, key, vars, 'staff/locales'));
  },
  /**
   * Every page of every journey runs under the server's Content-Security-Policy: a violation
   * anywhere (any page of the test's browser context) fails the test. A test that provokes one
   * on purpose takes it out of this list.
   */
  cspViolations: [
    async ({ context }, use) => {
      const violations: string[] = [];
      await context.addInitScript(() => {
        document.addEventListener(
          'securitypolicyviolation',
          (e) => console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`),
          true,
        );
      });
      context.on('console', (message) => {
        if (message.text().startsWith('CSP violation')) violations.push(message.text());
      });
      await use(violations);
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };
