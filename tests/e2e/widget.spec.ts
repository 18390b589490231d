import { test, expect, DEMO, expectAccessible, type Translate } from './fixtures';
import { signInApi, allOrders } from './api';
import type { Locator, Page } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The demo partner's page: another origin (another port) that embeds the widget with one tag,
// under a strict CSP and a hostile stylesheet (playwright.config.ts starts it beside the portal).
const portal = new URL(process.env.PORTICO_E2E_ORIGIN ?? `http://127.0.0.1:${process.env.PORTICO_E2E_PORT ?? 8787}`);
const partner = `http://127.0.0.1:${Number(portal.port) + 1}/`;

/** The partner page with the loader ready, and every wasm file the page fetched so far. */
async function openPartnerPage(page: Page) {
  const wasm: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasm.push(request.url());
  });
  await page.goto(partner);
  await page.waitForFunction(() => 'Portico' in window);
  return wasm;
}

function launcher(page: Page, w: Translate) {
  return page.getByRole('button', { name: w('panel.title'), exact: true });
}

/** One of the panel's sections (its navigation's buttons: a section and its form's button may
 * share words). */
function section(within: Page | Locator, w: Translate, key: string) {
  return within.getByRole('navigation').getByRole('button', { name: w(key) });
}

function panel(page: Page, w: Translate) {
  return page.getByRole('dialog', { name: w('panel.title') });
}

/** A demo order and its buyer's email, from the portal's own API (signed in as that buyer). */
async function demoOrder(page: Page) {
  await signInApi(page.request, DEMO.wang);
  const [order] = await allOrders(page.request);
  return { number: order.number, email: DEMO.wang };
}

test('the launcher loads no WebAssembly until it is opened; the panel is a dialog that Escape closes', async ({ page, w }) => {
  const wasm = await openPartnerPage(page);
  await expect(launcher(page, w)).toBeVisible();
  // The host page's stylesheet hides every button and sets all: unset; the launcher is untouched.
  await expect(launcher(page, w)).toHaveCSS('position', 'fixed');
  await page.waitForTimeout(500);
  expect(wasm, 'no wasm before the visitor opens the widget').toEqual([]);

  await launcher(page, w).click();
  await expect(panel(page, w)).toBeVisible();
  await expect(section(page, w, 'nav.lookup')).toBeVisible();
  // The main module, and the chunks of the feature shown first (the lookup), all from the portal.
  expect(wasm.length).toBeGreaterThan(0);
  for (const url of wasm) expect(url.startsWith(`${portal.origin}/widget/`), url).toBe(true);
  await expectAccessible(page);

  await page.keyboard.press('Escape');
  await expect(panel(page, w)).toBeHidden();
  await expect(launcher(page, w)).toBeFocused();
});

test('a visitor tracks an order from the partner page: the masked view, no cookie; wrong details keep what was typed', async ({ page, context, w }) => {
  const order = await demoOrder(page);
  await context.clearCookies();
  await openPartnerPage(page);
  await launcher(page, w).click();
  const dialog = panel(page, w);
  await section(dialog, w, 'nav.lookup').click();

  const number = dialog.getByLabel(w('lookup.order_number'));
  const contact = dialog.getByLabel(w('lookup.contact'));
  await number.fill(order.number);
  await contact.fill(DEMO.li);
  await dialog.getByRole('button', { name: w('lookup.submit') }).click();
  await expect(dialog.getByRole('alert')).toHaveText(w('lookup.not_found'));
  await expect(number).toHaveValue(order.number);
  await expect(contact).toHaveValue(DEMO.li);

  await number.fill('PT1234');
  await dialog.getByRole('button', { name: w('lookup.submit') }).click();
  await expect(dialog.getByText(w('errors.invalid_order_number'))).toBeVisible();

  await number.fill(order.number.toLowerCase());
  await contact.fill(order.email);
  await dialog.getByRole('button', { name: w('lookup.submit') }).click();
  await expect(dialog.getByRole('heading', { name: w('lookup.result').replace('[number]', order.number) })).toBeVisible();
  await expect(dialog.getByText(w('lookup.masked'))).toBeVisible();
  await expectAccessible(page);
  // The widget never holds a session: no cookie on the portal's origin or the partner's.
  expect(await context.cookies()).toEqual([]);
});

test('feedback from the partner page arrives once, also when it was written offline', async ({ page, context, w }) => {
  await openPartnerPage(page);
  const sent: number[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('/feedback') && response.request().method() === 'POST') sent.push(response.status());
  });
  await page.evaluate(() => {
    (window as unknown as { heard: string[] }).heard = [];
    document.addEventListener('portico:feedback-sent', (e) => (window as unknown as { heard: string[] }).heard.push(String((e as CustomEvent).detail)));
  });
  await launcher(page, w).click();
  const dialog = panel(page, w);
  await section(dialog, w, 'nav.feedback').click();

  // Nothing chosen: the form says what is missing.
  await dialog.getByRole('button', { name: w('feedback.submit'), exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText(w('errors.need_category'));

  await dialog.getByRole('radio', { name: w('feedback.idea') }).check();
  await dialog.getByRole('radio', { name: /^4/ }).check();
  const message = `<img src=x onerror=alert(1)> The tea finder could show caffeine levels ${Date.now()}`;
  await dialog.getByLabel(w('feedback.text')).fill(message);
  await context.setOffline(true);
  await dialog.getByRole('button', { name: w('feedback.submit'), exact: true }).click();
  await expect(dialog.getByRole('status').filter({ hasText: w('feedback.queued') })).toBeVisible();
  await expect(dialog.getByLabel(w('feedback.text'))).toHaveValue(message);

  await context.setOffline(false);
  await expect(dialog.getByText(w('feedback.thanks'))).toBeVisible();
  await expectAccessible(page);
  expect(sent).toEqual([201]);
  const heard = await page.evaluate(() => (window as unknown as { heard: string[] }).heard);
  expect(heard.length).toBe(1);

  // Reloaded, nothing is kept to send again.
  await page.reload();
  await page.waitForFunction(() => 'Portico' in window);
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('portico-widget:')));
  expect(kept).toEqual([]);
});

test('while a section is still on its way, the panel says so, and then shows it', async ({ page, w }) => {
  // The feedback form's chunk is held back until the test lets it go.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/widget\/split_feedback_view_[^/]+\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await openPartnerPage(page);
  await launcher(page, w).click();
  const dialog = panel(page, w);
  await section(dialog, w, 'nav.feedback').click();
  await expect(dialog.getByRole('status')).toHaveText(w('panel.loading'));
  await expectAccessible(page);
  release();
  await expect(dialog.getByRole('button', { name: w('feedback.submit'), exact: true })).toBeVisible();
  await expect(dialog.getByText(w('panel.loading'))).toBeHidden();
});

test('feedback written offline on a visit that ended is sent at the next visit, before anything is opened', async ({ page, context, w }) => {
  await openPartnerPage(page);
  await launcher(page, w).click();
  const dialog = panel(page, w);
  await section(dialog, w, 'nav.feedback').click();
  await dialog.getByRole('radio', { name: w('feedback.problem') }).check();
  const message = `The parcel box was crushed ${Date.now()}`;
  await dialog.getByLabel(w('feedback.text')).fill(message);
  await context.setOffline(true);
  await dialog.getByRole('button', { name: w('feedback.submit'), exact: true }).click();
  await expect(dialog.getByRole('status').filter({ hasText: w('feedback.queued') })).toBeVisible();
  await page.close();

  await context.setOffline(false);
  const next = await context.newPage();
  const sent: number[] = [];
  next.on('response', (response) => {
    if (response.url().endsWith('/feedback') && response.request().method() === 'POST') sent.push(response.status());
  });
  await openPartnerPage(next);
  await expect.poll(() => sent).toEqual([201]);
  await expect(panel(next, w)).toBeHidden();
  await expect
    .poll(() => next.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('portico-widget:'))))
    .toEqual([]);
});

test('a visitor answers the survey the partner page passes, each answer saved as given', async ({ page, w }) => {
  const made = await page.request.post('/api/dev/survey-invitations', { data: { email: DEMO.chen, touchpoint: 'support' } });
  expect(made.status()).toBe(201);
  const { token } = (await made.json()) as { token: string };
  const saves: number[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/surveys/') && response.request().method() === 'PUT') saves.push(response.status());
  });
  await openPartnerPage(page);
  await page.evaluate((t) => window.Portico.survey(t), token);
  const dialog = panel(page, w);
  await expect(dialog.getByRole('heading', { name: w('survey.title_support') })).toBeVisible();
  await expect(section(dialog, w, 'nav.survey')).toHaveAttribute('aria-pressed', 'true');

  // Finishing with nothing chosen points at the first question.
  await dialog.getByRole('button', { name: w('survey.finish') }).click();
  await expect(dialog.getByRole('alert').first()).toHaveText(w('survey.required'));
  expect(saves).toEqual([]);

  // The support survey's first question is NPS (0-10): a promoter's 9.
  await dialog.getByRole('radio', { name: '9', exact: true }).check();
  await expect.poll(() => saves.length).toBe(1);
  // Pressing Finish leaves the reason's field, which saves it (slowly here): that save must not
  // make the button inert under the press.
  await page.route('**/api/surveys/**', async (route) => {
    if (route.request().method() === 'PUT') await new Promise((done) => setTimeout(done, 400));
    await route.continue();
  });
  await dialog.getByRole('textbox').fill('Quick and kind');
  await dialog.getByRole('button', { name: w('survey.finish') }).click();
  await expect(dialog.getByText(w('survey.thanks'))).toBeVisible();
  await expect(dialog.getByText(w('survey.follow_up'))).toHaveCount(0);
  await expect.poll(() => saves).toEqual([200, 200, 200]);
  await expectAccessible(page);

  // What the service kept: the same invitation, read through the portal's own survey API.
  const stored = await (await page.request.get(`/api/surveys/${token}`)).json();
  expect(stored.response.finished_at).toBeTruthy();
  expect(stored.response.answers).toEqual(
    expect.arrayContaining([
      { question: 'score', value: { score: 9 } },
      { question: 'why', value: { text: 'Quick and kind' } },
    ]),
  );
});

test("a visitor answers the partner's own survey, anonymously, and a later visit continues it", async ({ page, w }) => {
  const key = 'pk_demo_partner_0001';
  const settings = await (await page.request.get(`/api/widget/${key}`, { headers: { Origin: new URL(partner).origin } })).json();
  expect(settings.active_survey).toBe(true);
  const saves: number[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('/survey/response') && response.request().method() === 'PUT') saves.push(response.status());
  });
  await openPartnerPage(page);
  await launcher(page, w).click();
  const dialog = panel(page, w);
  await section(dialog, w, 'nav.survey').click();
  const title = w('survey.title_partner').replace('[partner]', settings.partner);
  await expect(dialog.getByRole('heading', { name: title })).toBeVisible();
  await expect(dialog.getByText(w('survey.about_partner'))).toBeVisible();
  // The demo partner asks NPS (0-10): a detractor's 3, saved as it is given.
  await dialog.getByRole('radio', { name: '3', exact: true }).check();
  await expect.poll(() => saves).toEqual([200]);
  await expectAccessible(page);

  // The next visit continues the same response: the score is there, then it is finished.
  await openPartnerPage(page);
  await launcher(page, w).click();
  await section(dialog, w, 'nav.survey').click();
  await expect(dialog.getByRole('radio', { name: '3', exact: true })).toBeChecked();
  await dialog.getByRole('button', { name: w('survey.finish') }).click();
  await expect(dialog.getByText(w('survey.thanks'))).toBeVisible();
  // Nobody can be called back: no promise of a call.
  await expect(dialog.getByText(w('survey.follow_up'))).toHaveCount(0);
  expect(saves).toEqual([200, 200]);

  // What the service kept, read with the id the visitor's browser kept: one finished response.
  const id = await page.evaluate((k) => localStorage.getItem(`portico-widget:survey:${k}`), key);
  const stored = await (
    await page.request.get(`/api/widget/${key}/survey?response=${id}`, { headers: { Origin: new URL(partner).origin } })
  ).json();
  expect(stored.response.finished_at).toBeTruthy();
  expect(stored.response.answers).toEqual([{ question: 'score', value: { score: 3 } }]);
  // A visit after finishing says thanks instead of asking again.
  await openPartnerPage(page);
  await launcher(page, w).click();
  await section(dialog, w, 'nav.survey').click();
  await expect(dialog.getByText(w('survey.thanks'))).toBeVisible();
  await expectAccessible(page);
});

test('the tier badge shows for a token the partner signed, and not for a forged one', async ({ page, w, lang }) => {
  await openPartnerPage(page);
  const forged = await (await page.request.get(`${partner}identity?sub=${DEMO.li}&forged=1`)).json();
  await page.evaluate((token) => window.Portico.identify(token), forged.token as string);
  await launcher(page, w).click();
  const dialog = panel(page, w);
  await expect(section(dialog, w, 'nav.lookup')).toBeVisible();
  await page.waitForTimeout(500);
  await expect(dialog.locator('.badge')).toHaveCount(0);
  await page.keyboard.press('Escape');

  // The partner's own sign-in button asks its backend for a token and identifies the visitor.
  const tiers = await (await page.request.get('/api/loyalty/tiers')).json();
  const gold = tiers.find((t: { code: string }) => t.code === 'gold').name[lang];
  await page.getByRole('button', { name: 'Sign in as Li Na (demo)' }).click();
  await launcher(page, w).click();
  await expect(dialog.getByText(w('badge.member').replace('[tier]', gold))).toBeVisible();
  await expectAccessible(page);
});

test("the host page's hostile CSS changes nothing in the widget, and the widget's CSS nothing on the host", { tag: '@matrix' }, async ({ page, w }) => {
  await openPartnerPage(page);
  const hostStyles = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('body *:not(portico-widget)')].slice(0, 40).map((e) => {
        const s = getComputedStyle(e);
        return `${e.tagName}.${e.className}:${s.color}/${s.fontSize}/${s.display}/${s.fontFamily}`;
      }),
    );
  const before = await hostStyles();
  await launcher(page, w).click();
  const dialog = panel(page, w);
  await section(dialog, w, 'nav.feedback').click();
  const send = dialog.getByRole('button', { name: w('feedback.submit'), exact: true });
  // The host hides buttons and makes text dark red, serif and 30px: inside the widget, nothing of it.
  await expect(send).toBeVisible();
  await expect(send).toHaveCSS('display', 'inline-block');
  await expect(dialog).toHaveCSS('font-size', '16px');
  await expect(dialog.getByRole('heading', { name: w('feedback.heading') })).not.toHaveCSS('color', 'rgb(160, 0, 0)');
  expect(await hostStyles()).toEqual(before);
  // Nothing was added to the host's <head>: the widget's styles live in its shadow roots.
  const headStyles = await page.evaluate(() => document.head.querySelectorAll('style, link[rel=stylesheet]').length);
  expect(headStyles).toBe(1);
});

test('keyboard only: the launcher opens the panel, focus stays inside, Escape gives it back', async ({ page, w }) => {
  await openPartnerPage(page);
  await launcher(page, w).focus();
  await page.keyboard.press('Enter');
  const dialog = panel(page, w);
  await expect(dialog).toBeVisible();
  await expect(section(dialog, w, 'nav.lookup')).toBeVisible();
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    const inside = await page.evaluate(() => {
      const host = document.querySelector('portico-widget:not([feature])');
      return !!host?.shadowRoot?.activeElement;
    });
    expect(inside, `focus after ${i + 1} Tab presses is inside the panel`).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(launcher(page, w)).toBeFocused();
});

test('an inline <portico-widget feature="lookup"> draws the lookup in the page once it nears the viewport', async ({ page, w }) => {
  const wasm = await openPartnerPage(page);
  const inline = page.locator('portico-widget[feature="lookup"]');
  await inline.scrollIntoViewIfNeeded();
  await expect(inline.getByLabel(w('lookup.order_number'))).toBeVisible();
  expect(wasm.length).toBeGreaterThan(0);
  for (const url of wasm) expect(url.startsWith(`${portal.origin}/widget/`), url).toBe(true);
  await expectAccessible(page);
});

declare global {
  interface Window {
    Portico: { open(feature?: string): Promise<void>; survey(token: string): Promise<void>; close(): void; identify(token: string | null): void };
  }
}

test('on a page its partner did not list, the widget says it is not available on this site, not that the network failed', async ({ page, w }) => {
  // The demo partner's page, served from an origin the partner never listed: another loopback
  // address (a page on a public origin may not load from loopback at all in Chromium, which is
  // not what a partner's visitor meets).
  const mirror = createServer(async (asked, answer) => {
    const served = await fetch(`${partner}${(asked.url ?? '/').slice(1)}`);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'content-security-policy']) {
      const value = served.headers.get(name);
      if (value) headers[name] = value;
    }
    answer.writeHead(served.status, headers).end(Buffer.from(await served.arrayBuffer()));
  });
  await new Promise<void>((listening) => mirror.listen(0, '127.0.0.2', listening));
  const unlisted = `http://127.0.0.2:${(mirror.address() as AddressInfo).port}/`;
  const refusals: (string | null)[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/api/widget/') && response.status() === 403) {
      refusals.push(response.headers()['access-control-allow-origin'] ?? null);
    }
  });
  await page.goto(unlisted);
  await page.waitForFunction(() => 'Portico' in window);
  await launcher(page, w).click();
  const dialog = panel(page, w);
  await expect(dialog.getByRole('alert')).toHaveText(w('errors.not_available'));
  await expect(dialog.getByText(w('errors.network'))).toHaveCount(0);
  expect(refusals.length).toBeGreaterThan(0);
  expect(refusals.every((allowed) => allowed === '*')).toBe(true);
  await expectAccessible(page);
  mirror.close();
});
