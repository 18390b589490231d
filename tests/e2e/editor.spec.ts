import { test, expect, DEMO, expectAccessible, translate, type Translate } from './fixtures';
import { signInApi } from './api';
import { STAFF, fill, staffSignIn } from './staff-desk';
import type { Browser, Page } from '@playwright/test';

// The benefit-page editor in the staff app, and what customers then read in the portal.

/** The project's screen (a phone's or a desktop's) for the other people in a journey too. */
function device() {
  const { viewport, isMobile, hasTouch } = test.info().project.use;
  return { viewport, isMobile, hasTouch };
}

/** A page of its own per project: the projects share one server. */
const slugFor = (name: string) => `${name}-${test.info().project.name}`;

async function desk(browser: Browser, lang: string, who: readonly [string, string], s: Translate, base: string) {
  const context = await browser.newContext({ ...device(), locale: lang === 'en' ? 'en-US' : 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await page.goto(new URL('/staff/', base).href);
  await staffSignIn(page, s, who);
  await expect(page.getByRole('heading', { name: s('pages.title') })).toBeVisible();
  return page;
}

async function createPage(page: Page, s: Translate, slug: string, tier: string) {
  const form = page.getByRole('region', { name: s('pages.new_title') });
  await form.getByLabel(s('pages.slug')).fill(slug);
  await form.getByLabel(s('pages.audience')).selectOption(tier);
  await form.getByRole('button', { name: s('pages.create') }).click();
  await expect(page.getByTestId('save-state')).toHaveText(s('editor.saved'));
}

async function addBlock(page: Page, s: Translate, kind: string) {
  await page.getByLabel(s('editor.add_kind'), { exact: true }).selectOption(kind);
  await page.getByRole('button', { name: s('editor.add_block'), exact: true }).click();
}

/** Opens the tab of a language, writing its copy if there is none yet. */
async function language(page: Page, s: Translate, key: 'editor.chinese' | 'editor.english') {
  await page.getByRole('button', { name: s(key), exact: true }).click();
  const start = page.getByRole('button', { name: fill(s('editor.write_copy'), s(key)) });
  if (await start.isVisible()) await start.click();
}

async function saved(page: Page, s: Translate) {
  await expect(page.getByTestId('save-state')).toHaveText(s('editor.saved'));
}

/** Opens a page from the list: a link to the page in the editor (/staff/pages/SLUG). */
async function open(page: Page, slug: string) {
  await page.getByTestId('page-row').filter({ hasText: `/benefits/${slug}` }).getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/staff/pages/${slug}$`));
}

/** A customer's browser, signed in (or a guest), in the project's language. */
async function customer(browser: Browser, lang: string, base: string, email?: string) {
  const context = await browser.newContext({
    ...device(),
    storageState: { cookies: [], origins: [{ origin: new URL(base).origin, localStorage: [{ name: 'portico.locale', value: lang }] }] },
  });
  if (email) await signInApi(context.request, email);
  return context.newPage();
}

test('an editor drafts a Gold campaign and previews it as Gold; a publisher schedules a change; Gold members read each version in turn, others never, and a rollback brings the first back', async ({ page, browser, s, t, lang }) => {
  const slug = slugFor('gold-week');
  // What a customer reads, in their language.
  const first = lang === 'en' ? 'Double points for Gold' : '金卡会员双倍积分';
  const second = lang === 'en' ? 'Triple points for Gold' : '金卡会员三倍积分';
  await page.goto('/staff/');
  await staffSignIn(page, s, STAFF.editor);
  await createPage(page, s, slug, 'gold');

  await language(page, s, 'editor.chinese');
  await page.getByLabel(s('editor.page_title'), { exact: true }).fill('金卡周');
  await addBlock(page, s, 'hero');
  await page.getByLabel(s('editor.hero_title'), { exact: true }).fill('金卡会员双倍积分');
  await language(page, s, 'editor.english');
  await page.getByLabel(s('editor.page_title'), { exact: true }).fill('Gold week');
  await addBlock(page, s, 'hero');
  await page.getByLabel(s('editor.hero_title'), { exact: true }).fill('Double points for Gold');
  await addBlock(page, s, 'rich_text');
  await page.getByLabel(s('editor.markdown'), { exact: true }).fill('Every order counts **twice** this week. [Your orders](/orders)');
  await addBlock(page, s, 'tier_comparison');
  await saved(page, s);

  // The preview: the portal itself, as a Gold member reading English, at phone then desktop width.
  await expect(page.getByLabel(s('editor.preview_as'), { exact: true })).toHaveValue('gold');
  const frame = page.frameLocator('iframe');
  await expect(frame.getByRole('heading', { name: 'Gold week', level: 1 })).toBeVisible();
  await expect(frame.getByText('Double points for Gold')).toBeVisible();
  await expect(frame.locator('strong', { hasText: 'twice' })).toBeVisible();
  await expect(frame.getByTestId('tiers')).toBeVisible();
  await page.getByRole('button', { name: s('editor.desktop'), exact: true }).click();
  await expect(page.locator('iframe.frame.desktop')).toBeVisible();
  await expect(frame.getByText('Double points for Gold')).toBeVisible();
  // As a Regular member it is the page they would get: none.
  await page.getByLabel(s('editor.preview_as'), { exact: true }).selectOption('regular');
  await expect(frame.getByText(translate('en', 'benefits.not_found'))).toBeVisible();
  await expectAccessible(page);

  // Moved by keyboard: the text block goes above the banner and back.
  await page.getByRole('button', { name: `${s('editor.move_up')} ${fill(s('editor.block_n'), '2')}` }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('block').first()).toContainText(s('editor.kind_rich_text'));
  await expect(page.getByRole('button', { name: `${s('editor.move_down')} ${fill(s('editor.block_n'), '1')}` })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('block').first()).toContainText(s('editor.kind_hero'));
  await saved(page, s);
  await page.getByRole('button', { name: s('review.submit') }).click();
  await expect(page.getByText(s('review.waiting'))).toBeVisible();

  // The publisher sees the change against what is live (nothing yet) and publishes it.
  const publisher = await desk(browser, lang, STAFF.publisher, s, page.url());
  await open(publisher, slug);
  await expect(publisher.getByTestId('diff')).toContainText('+ [hero] Double points for Gold');
  await publisher.getByTestId('publish').click();
  await expect(publisher.getByTestId('version').first()).toContainText(fill(s('review.version_n'), '1'));
  await expectAccessible(publisher);

  const gold = await customer(browser, lang, page.url(), DEMO.li);
  const regular = await customer(browser, lang, page.url(), DEMO.wang);
  await gold.goto(new URL(`/benefits/${slug}`, page.url()).href);
  await expect(gold.getByText(first)).toBeVisible();
  await regular.goto(new URL(`/benefits/${slug}`, page.url()).href);
  await expect(regular.getByText(t('benefits.not_found'))).toBeVisible();

  // A change, scheduled a few seconds ahead: live at its time, not before.
  await language(publisher, s, 'editor.chinese');
  await publisher.getByLabel(s('editor.hero_title'), { exact: true }).fill('金卡会员三倍积分');
  await language(publisher, s, 'editor.english');
  await publisher.getByLabel(s('editor.hero_title'), { exact: true }).fill('Triple points for Gold');
  await saved(publisher, s);
  const at = await publisher.evaluate(() => {
    const d = new Date(Date.now() + 12_000);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  });
  await publisher.getByLabel(s('review.at'), { exact: true }).fill(at);
  await publisher.getByTestId('publish').click();
  await expect(publisher.getByText(s('pages.state_scheduled')).first()).toBeVisible();
  await gold.reload();
  await expect(gold.getByText(first)).toBeVisible();
  await expect(async () => {
    await gold.reload();
    await expect(gold.getByText(second)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await regular.reload();
  await expect(regular.getByText(t('benefits.not_found'))).toBeVisible();

  // Rolled back: version 1 again, as a new version (a reload keeps the page open in the editor).
  await publisher.reload();
  await publisher
    .getByTestId('version')
    .filter({ hasText: fill(s('review.version_n'), '1') })
    .getByRole('button', { name: s('review.restore') })
    .click();
  await expect(publisher.getByTestId('version').first()).toContainText(fill(s('review.restored_from'), '1'));
  await gold.reload();
  await expect(gold.getByText(first)).toBeVisible();
  await expectAccessible(gold);

  // Taken down: nobody reads it any more (and the other journeys on this server see only theirs).
  await publisher.getByRole('button', { name: s('review.unpublish') }).click();
  await expect(publisher.getByTestId('version').first()).toContainText(s('review.taken_down'));
  await gold.reload();
  await expect(gold.getByText(t('benefits.not_found'))).toBeVisible();
  for (const p of [publisher, gold, regular]) await p.context().close();
});

// What an attacker might type: each would set `__pwned` or open a dialog if it ever ran.
const HOSTILE = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '[click](javascript:window.__pwned=1)',
  '<svg onload="window.__pwned=1">',
  '"><iframe srcdoc="<script>parent.__pwned=1</script>">',
];

test('the XSS corpus typed into every editor field is kept as text, named as a problem, and runs nowhere', async ({ page, s }) => {
  const slug = slugFor('hostile');
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs += 1;
    void d.dismiss();
  });
  await page.goto('/staff/');
  await staffSignIn(page, s, STAFF.editor);
  await createPage(page, s, slug, '');
  await language(page, s, 'editor.english');
  const [a, b, c, d, e] = HOSTILE;
  await page.getByLabel(s('editor.page_title'), { exact: true }).fill(a);
  await addBlock(page, s, 'hero');
  await page.getByLabel(s('editor.hero_title'), { exact: true }).fill(b);
  await page.getByLabel(s('editor.hero_subtitle'), { exact: true }).fill(e);
  await addBlock(page, s, 'rich_text');
  await page.getByLabel(s('editor.markdown'), { exact: true }).fill(HOSTILE.join('\n\n'));
  await addBlock(page, s, 'benefit_grid');
  await page.getByLabel(s('editor.benefit_title'), { exact: true }).fill(d);
  await page.getByLabel(s('editor.benefit_text'), { exact: true }).fill(a);
  await addBlock(page, s, 'faq');
  await page.getByLabel(s('editor.question'), { exact: true }).fill(b);
  await page.getByLabel(s('editor.answer'), { exact: true }).fill(c);
  await addBlock(page, s, 'call_to_action');
  await page.getByLabel(s('editor.button_label'), { exact: true }).fill(d);
  await page.getByLabel(s('editor.button_href'), { exact: true }).fill('javascript:window.__pwned=1');
  await saved(page, s);

  // Every refused field is named (the Markdown, the answer's link, the button's address: the
  // plain-text fields keep what was typed as text); nothing can go to review or be previewed.
  const problems = page.getByRole('alert').filter({ hasText: s('editor.problems') });
  await expect(problems.getByRole('listitem')).toHaveCount(3);
  await expect(page.getByText(s('review.fix_first'))).toBeVisible();
  await expect(page.getByRole('button', { name: s('review.submit') })).toHaveCount(0);
  await expect(page.getByText(s('editor.preview_blocked'))).toBeVisible();
  await expect(page.locator('iframe')).toHaveCount(0);
  await expectAccessible(page);

  // Read back after a reload (the page stays open in the editor): exactly as typed.
  await page.reload();
  await language(page, s, 'editor.english');
  await expect(page.getByLabel(s('editor.page_title'), { exact: true })).toHaveValue(a);
  await expect(page.getByLabel(s('editor.markdown'), { exact: true })).toHaveValue(HOSTILE.join('\n\n'));
  await expect(page.getByLabel(s('editor.button_href'), { exact: true })).toHaveValue('javascript:window.__pwned=1');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toBe(0);
});

test('two editors on one page: the second save is refused with who saved, the text stays, and keeping it wins', async ({ page, browser, s, lang }) => {
  const slug = slugFor('two-editors');
  await page.goto('/staff/');
  await staffSignIn(page, s, STAFF.editor);
  await createPage(page, s, slug, '');
  await language(page, s, 'editor.english');
  await page.getByLabel(s('editor.page_title'), { exact: true }).fill('First title');
  await saved(page, s);

  // The publisher opens the same page, then the editor saves again.
  const other = await desk(browser, lang, STAFF.publisher, s, page.url());
  await open(other, slug);
  await language(other, s, 'editor.english');
  await expect(other.getByLabel(s('editor.page_title'), { exact: true })).toHaveValue('First title');
  await page.getByLabel(s('editor.page_title'), { exact: true }).fill('The editor’s title');
  await saved(page, s);
  await other.getByLabel(s('editor.page_title'), { exact: true }).fill('The publisher’s title');
  const conflict = other.getByRole('alert').filter({ hasText: STAFF.editor[0] });
  await expect(conflict).toContainText(fill(s('editor.conflict'), STAFF.editor[0]));
  await expect(other.getByLabel(s('editor.page_title'), { exact: true })).toHaveValue('The publisher’s title');
  await expectAccessible(other);
  await conflict.getByRole('button', { name: s('editor.keep_mine') }).click();
  await saved(other, s);
  // What the service keeps now is the text that was kept.
  // A reload keeps the page open in the editor.
  await page.reload();
  await language(page, s, 'editor.english');
  await expect(page.getByLabel(s('editor.page_title'), { exact: true })).toHaveValue('The publisher’s title');
  await other.context().close();
});

test('offline, the save line keeps saying so while the typing goes on, and the fields under it stay put', async ({ page, context, s }) => {
  await page.goto('/staff/');
  await staffSignIn(page, s, STAFF.editor);
  await createPage(page, s, slugFor('offline-typing'), 'gold');
  await language(page, s, 'editor.chinese');
  const title = page.getByLabel(s('editor.page_title'), { exact: true });
  const line = page.getByTestId('save-state');
  await context.setOffline(true);
  await title.fill('离线');
  await expect(line).toHaveText(s('editor.offline'));
  const at = (await title.boundingBox())!.y;
  // Each key starts a save (a second later it is tried, and fails): the line says offline all along.
  // Read as it is at once (no waiting for it to come right).
  const now = async () => [await line.textContent(), (await title.boundingBox())!.y];
  for (const key of ['时', '也', '在', '写']) {
    await page.keyboard.type(key);
    expect(await now()).toEqual([s('editor.offline'), at]);
  }
  for (let i = 0; i < 8; i++) {
    await page.waitForTimeout(200);
    expect(await now()).toEqual([s('editor.offline'), at]);
  }
  await context.setOffline(false);
  await expect(line).toHaveText(s('editor.saved'), { timeout: 20_000 });
  await expect(title).toHaveValue('离线时也在写');
});

test('who a page is for reads well for every tier, in the list and in both forms', { tag: '@matrix' }, async ({ page, s, lang }) => {
  // The deployment's tier names (demo: Member, Silver, Gold, Diamond; 普通会员, 银卡会员...) as an audience.
  const audiences =
    lang === 'en'
      ? ['Everyone', 'Member tier', 'Silver tier', 'Gold tier', 'Diamond tier']
      : ['所有人', '普通会员', '银卡会员', '金卡会员', '钻石会员'];
  await page.goto('/staff/');
  await staffSignIn(page, s, STAFF.editor);
  await expect(page.getByTestId('page-row').filter({ hasText: '/benefits/regular-benefits' })).toContainText(audiences[1]);
  const form = page.getByRole('region', { name: s('pages.new_title') });
  await expect(form.getByLabel(s('pages.audience')).locator('option')).toHaveText(audiences);
  await open(page, 'gold-benefits');
  // The editor's own.
  const audience = page.getByLabel(s('pages.audience'), { exact: true });
  await expect(audience.locator('option')).toHaveText(audiences);
  await expect(audience).toHaveValue('gold');
});

test('a restore leaves the draft as the restored version: the editor shows it, the next publish keeps it, and whoever had the page open is asked which to keep', async ({ page, browser, s, t, lang }) => {
  const slug = slugFor('restore');
  const [first, second] = lang === 'en' ? ['First offer', 'Second offer'] : ['第一版优惠', '第二版优惠'];
  await page.goto('/staff/');
  await staffSignIn(page, s, STAFF.publisher);
  await createPage(page, s, slug, '');
  for (const key of ['editor.chinese', 'editor.english'] as const) {
    await language(page, s, key);
    await page.getByLabel(s('editor.page_title'), { exact: true }).fill(key === 'editor.english' ? 'Offer' : '优惠');
    await addBlock(page, s, 'hero');
    await page.getByLabel(s('editor.hero_title'), { exact: true }).fill(key === 'editor.english' ? 'First offer' : '第一版优惠');
  }
  await saved(page, s);
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('version').first()).toContainText(fill(s('review.version_n'), '1'));
  for (const key of ['editor.chinese', 'editor.english'] as const) {
    await language(page, s, key);
    await page.getByLabel(s('editor.hero_title'), { exact: true }).fill(key === 'editor.english' ? 'Second offer' : '第二版优惠');
  }
  await saved(page, s);
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('version').first()).toContainText(fill(s('review.version_n'), '2'));

  // An editor has the page open, showing the second text.
  const editor = await desk(browser, lang, STAFF.editor, s, page.url());
  await open(editor, slug);
  await language(editor, s, lang === 'en' ? 'editor.english' : 'editor.chinese');
  await expect(editor.getByLabel(s('editor.hero_title'), { exact: true })).toHaveValue(second);

  // The publisher restores version 1: the form shows its text, and publishing again keeps it.
  await page
    .getByTestId('version')
    .filter({ hasText: fill(s('review.version_n'), '1') })
    .getByRole('button', { name: s('review.restore') })
    .click();
  await expect(page.getByTestId('version').first()).toContainText(fill(s('review.restored_from'), '1'));
  await language(page, s, lang === 'en' ? 'editor.english' : 'editor.chinese');
  await expect(page.getByLabel(s('editor.hero_title'), { exact: true })).toHaveValue(first);
  // A reload keeps the page open in the editor.
  await page.reload();
  await language(page, s, lang === 'en' ? 'editor.english' : 'editor.chinese');
  await expect(page.getByLabel(s('editor.hero_title'), { exact: true })).toHaveValue(first);
  await expect(page.getByTestId('diff')).toHaveText(s('review.no_changes'));
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('version').first()).toContainText(fill(s('review.version_n'), '4'));
  const reader = await customer(browser, lang, page.url());
  await reader.goto(new URL(`/benefits/${slug}`, page.url()).href);
  await expect(reader.getByText(first)).toBeVisible();
  await expect(reader.getByText(second)).toHaveCount(0);

  // The editor's next key is refused as older than the restore; taking theirs shows the restored text.
  await editor.getByLabel(s('editor.hero_title'), { exact: true }).fill(`${second}!`);
  const conflict = editor.getByRole('alert').filter({ hasText: STAFF.publisher[0] });
  await expect(conflict).toContainText(fill(s('editor.conflict'), STAFF.publisher[0]));
  await conflict.getByRole('button', { name: s('editor.take_theirs') }).click();
  await expect(editor.getByLabel(s('editor.hero_title'), { exact: true })).toHaveValue(first);
  await reader.reload();
  await expect(reader.getByText(first)).toBeVisible();
  await expect(reader.getByText(t('benefits.not_found'))).toHaveCount(0);
  for (const p of [editor, reader]) await p.context().close();
  // Taken down: the other journeys on this server see only the pages they expect.
  await page.getByRole('button', { name: s('review.unpublish') }).click();
  await expect(page.getByTestId('version').first()).toContainText(s('review.taken_down'));
});

test('markup typed into plain-text fields shows as its characters; the preview shows that page alone, its links opening a new tab', async ({ page, browser, s, lang }) => {
  const slug = slugFor('markup-title');
  const title = '<b>Sale</b> & more';
  const hero = '<i>Two</i> for <u>one</u>';
  const question = '<script>window.__pwned=1</script> Why?';
  const label = '<em>Shop</em> &amp; save';
  await page.goto('/staff/');
  await staffSignIn(page, s, STAFF.publisher);
  await createPage(page, s, slug, '');
  for (const key of ['editor.chinese', 'editor.english'] as const) {
    await language(page, s, key);
    await page.getByLabel(s('editor.page_title'), { exact: true }).fill(title);
    await addBlock(page, s, 'hero');
    await page.getByLabel(s('editor.hero_title'), { exact: true }).fill(hero);
    await addBlock(page, s, 'rich_text');
    await page.getByLabel(s('editor.markdown'), { exact: true }).fill('See [your orders](/orders).');
    await addBlock(page, s, 'faq');
    await page.getByLabel(s('editor.question'), { exact: true }).fill(question);
    await page.getByLabel(s('editor.answer'), { exact: true }).fill('Because.');
    await addBlock(page, s, 'call_to_action');
    await page.getByLabel(s('editor.button_label'), { exact: true }).fill(label);
    await page.getByLabel(s('editor.button_href'), { exact: true }).fill('/orders');
  }
  await saved(page, s);
  await expect(page.getByText(s('editor.problems'))).toHaveCount(0);

  // The preview draws the characters typed, and no element of them.
  const frame = page.frameLocator('iframe');
  const main = frame.locator('main');
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(frame.getByText(hero, { exact: true })).toBeVisible();
  await expect(frame.getByText(question, { exact: true })).toBeVisible();
  await expect(frame.getByRole('link', { name: label })).toBeVisible();
  await expect(main.locator('b, i, u, em, script')).toHaveCount(0);

  // That page alone: no header, no navigation, no footer; a link opens in a new tab and the frame stays.
  const framed = () => page.frames().filter((f) => f !== page.mainFrame()).map((f) => new URL(f.url()).pathname);
  expect(framed()).toEqual([`/benefits/${slug}`]);
  await expect(frame.getByRole('navigation')).toHaveCount(0);
  await expect(frame.locator('header, footer')).toHaveCount(0);
  const links = frame.getByRole('link');
  await expect(links).toHaveCount(2);
  for (const link of await links.all()) await expect(link).toHaveAttribute('target', '_blank');
  const [tab] = await Promise.all([page.context().waitForEvent('page'), frame.getByRole('link', { name: 'your orders' }).click()]);
  await expect(tab).toHaveURL(/orders/);
  await tab.close();
  expect(framed()).toEqual([`/benefits/${slug}`]);
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText(title);
  await page.screenshot({ path: test.info().outputPath(`editor-preview-${lang}.png`), fullPage: true });
  await expectAccessible(page);

  // Published, customers read it the same way: as characters, and nothing ran.
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('version').first()).toContainText(fill(s('review.version_n'), '1'));
  const reader = await customer(browser, lang, page.url());
  await reader.goto(new URL(`/benefits/${slug}`, page.url()).href);
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(reader.getByText(hero, { exact: true })).toBeVisible();
  await expect(reader.locator('main').locator('b, i, u, em, script')).toHaveCount(0);
  await reader.goto(new URL('/benefits', page.url()).href);
  await expect(reader.locator(`a[href="/benefits/${slug}"]`)).toHaveText(title);
  expect(await reader.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await reader.context().close();
  // Taken down: the other journeys on this server see only the pages they expect.
  await page.getByRole('button', { name: s('review.unpublish') }).click();
  await expect(page.getByTestId('version').first()).toContainText(s('review.taken_down'));
});
