import { test, expect, DEMO, signIn, expectAccessible } from './fixtures';
import type { Locator } from '@playwright/test';

/**
 * Whether an element is drawn whole where the customer can read it: inside the viewport, and not
 * cut off by anything around it that clips (a row scrolled sideways, a box with hidden overflow).
 */
async function legible(element: Locator): Promise<boolean> {
  if (!(await element.isVisible())) return false;
  return element.evaluate((node) => {
    const box = node.getBoundingClientRect();
    const inside = (outer: { left: number; top: number; right: number; bottom: number }) =>
      box.left >= outer.left - 0.5 && box.right <= outer.right + 0.5 && box.top >= outer.top - 0.5 && box.bottom <= outer.bottom + 0.5;
    if (box.width === 0 || !inside({ left: 0, top: 0, right: innerWidth, bottom: innerHeight })) return false;
    for (let around = node.parentElement; around && around !== document.body; around = around.parentElement) {
      const style = getComputedStyle(around);
      if ((style.overflowX !== 'visible' || style.overflowY !== 'visible') && !inside(around.getBoundingClientRect())) return false;
    }
    return true;
  });
}

test('every destination in the header can be reached and read whole, through the menu where the screen is narrow', { tag: '@matrix' }, async ({ page, t }) => {
  await signIn(page, t, DEMO.li);
  const header = page.getByRole('banner');
  const nav = page.getByRole('navigation', { name: t('nav.main'), includeHidden: true });
  const keys = ['nav.orders', 'nav.returns', 'nav.member', 'nav.feedback', 'nav.track', 'nav.benefits', 'nav.outbox'];
  const link = (key: string) => nav.getByRole('link', { name: t(key), exact: true, includeHidden: true });
  await expect(nav.getByRole('link', { includeHidden: true })).toHaveCount(keys.length);
  // The header's own controls are always on the screen, whole.
  for (const control of [header.getByRole('button', { name: t('nav.sign_out') }), header.getByRole('button', { name: 'English' }), header.getByRole('button', { name: '中文' })]) {
    expect(await legible(control), await control.textContent()).toBe(true);
  }

  const hidden: string[] = [];
  for (const key of keys) if (!(await legible(link(key)))) hidden.push(key);
  const menu = header.getByRole('button', { name: t('nav.menu'), exact: true });
  if (hidden.length === 0) {
    // Wide enough for all of them in a row: no menu to open.
    await expect(menu).toBeHidden();
    return;
  }

  // What the screen cannot show is one tap away, each destination whole on a line of its own.
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toHaveAttribute('aria-controls', (await nav.getAttribute('id'))!);
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  for (const key of keys) expect(await legible(link(key)), t(key)).toBe(true);
  await expectAccessible(page);
  await page.screenshot({ path: test.info().outputPath('menu-open.png') });

  // Escape closes it and leaves the focus on the button, which the keyboard opens again; the
  // first destination is the next stop of the Tab key.
  await link('nav.feedback').focus();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();
  await expect(link('nav.benefits')).toBeHidden();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Tab');
  await expect(link('nav.orders')).toBeFocused();

  // Choosing a destination goes there and closes the menu.
  await link('nav.benefits').click();
  await expect(page).toHaveURL(/\/benefits$/);
  await expect(page.getByRole('heading', { name: t('benefits.title'), level: 1 })).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(link('nav.benefits')).toBeHidden();
  await expectAccessible(page);
});
