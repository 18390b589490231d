import { test, expect, expectAccessible } from './fixtures';

test('Chinese by default, English on request, remembered after a reload', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('您的订单与包裹，一目了然');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your orders and parcels, at a glance');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
  await expectAccessible(page);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your orders and parcels, at a glance');
  await page.goto('/track');
  await expect(page.getByRole('heading', { name: 'Track an order', level: 1 })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { name: '查询订单', level: 1 })).toBeVisible();
});

test('an unknown page says so, in the chosen language', async ({ page }) => {
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
  await expectAccessible(page);
});
