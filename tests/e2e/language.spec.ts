import { test, expect, translate, expectAccessible } from './fixtures';

test('the page speaks the chosen language, switches on request, and remembers it', { tag: '@matrix' }, async ({ page, lang, t }) => {
  // Chinese projects start with nothing stored: Chinese is the default.
  const other = lang === 'zh-CN' ? 'en' : 'zh-CN';
  const o = (key: string) => translate(other, key);
  const switchTo = (to: 'zh-CN' | 'en') =>
    page.getByRole('button', { name: translate(to, to === 'en' ? 'nav.lang_en' : 'nav.lang_zh') });
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('home.title'));

  await switchTo(other).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(o('home.title'));
  await expect(page.locator('html')).toHaveAttribute('lang', other);
  await expect(page.getByRole('navigation', { name: o('nav.main'), includeHidden: true })).toContainText(o('nav.track'));
  await expectAccessible(page);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(o('home.title'));
  await page.goto('/track');
  await expect(page.getByRole('heading', { name: o('track.title'), level: 1 })).toBeVisible();
  await expectAccessible(page);

  await expect(switchTo(other)).toHaveAttribute('aria-pressed', 'true');
  await switchTo(lang).click();
  await expect(page.getByRole('heading', { name: t('track.title'), level: 1 })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
});

test('an unknown page says so, in the chosen language', { tag: '@matrix' }, async ({ page, t }) => {
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { name: t('not_found.title') })).toBeVisible();
  await page.getByRole('link', { name: t('not_found.home') }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('home.title'));
  await expectAccessible(page);
});
