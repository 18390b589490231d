import { test, expect, DEMO, signIn, expectAccessible, type Translate } from './fixtures';
import { signInApi, orderToReturn, returnsOf, cancelReturns } from './api';
import type { Page } from '@playwright/test';

/** From the order page, the item's "Return" link. */
async function openReturn(page: Page, t: Translate, number: string, name: string) {
  await page.goto(`/orders/${number}`);
  await page.locator('.items li', { hasText: name }).getByRole('link', { name: t('returns.start'), exact: true }).click();
  await expect(page.getByRole('heading', { name: t('returns.title'), level: 1 })).toBeVisible();
}

test('a return takes three clicks: open, reason, confirm', async ({ page, request, t }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturn(request);
  await signIn(page, t, DEMO.li);
  await page.goto(`/orders/${number}`);
  // Every click the customer makes from here on, counted by the page itself.
  await page.evaluate(() => {
    (window as unknown as { clicks: number }).clicks = 0;
    document.addEventListener('click', () => (window as unknown as { clicks: number }).clicks++, true);
  });

  await page.locator('.items li', { hasText: item.name }).getByRole('link', { name: t('returns.start'), exact: true }).click();
  // Pre-filled: the item it came from, a refund to the original payment, the usual hand-over.
  const row = page.locator('.return-item', { hasText: item.name });
  await expect(row.getByRole('checkbox')).toBeChecked();
  await expect(page.getByRole('radio', { name: t('returns.resolutions.refund') })).toBeChecked();
  await expect(page.getByRole('radio', { name: t('returns.handovers.drop_off') })).toBeChecked();
  await expect(page.getByTestId('return-total')).toContainText(
    `¥${((item.unit_price * item.returnable_quantity) / 100).toFixed(2)}`,
  );
  await expectAccessible(page);

  await page.getByRole('radio', { name: t('returns.reasons.wrong_size') }).click();
  await page.getByRole('button', { name: t('returns.confirm') }).click();

  const started = page.getByTestId('return-started');
  await expect(started).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { clicks: number }).clicks)).toBe(3);
  const made = await returnsOf(request, number);
  expect(made).toHaveLength(1);
  expect(made[0].lines).toEqual([expect.objectContaining({ line: item.line, quantity: item.returnable_quantity })]);
  expect(made[0].refund).toBe(item.unit_price * item.returnable_quantity);
  await expect(started.getByRole('heading', { level: 1 })).toHaveText(t('returns.started', { number: made[0].number }));
  await expectAccessible(page);
  await cancelReturns(request, number);
});

test('confirming without a reason asks for one and keeps every choice', async ({ page, request, t }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturn(request);
  await signIn(page, t, DEMO.li);
  await openReturn(page, t, number, item.name);

  await page.getByText(t('returns.resolutions.store_credit').replace('[percent]', '5'), { exact: true }).click();
  await page.getByRole('button', { name: t('returns.confirm') }).click();
  await expect(page.getByRole('alert')).toHaveText(t('returns.need_reason'));
  await expect(page.getByRole('radio', { name: t('returns.resolutions.store_credit').replace('[percent]', '5') })).toBeChecked();
  await expect(page.locator('.return-item', { hasText: item.name }).getByRole('checkbox')).toBeChecked();
  expect(await returnsOf(request, number)).toHaveLength(0);
  await expectAccessible(page);
});

test('a retry after the network dropped the answer starts one return, not two', async ({ page, request, t }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturn(request);
  await signIn(page, t, DEMO.li);
  await openReturn(page, t, number, item.name);

  // The first request reaches the server (which starts the return), but its answer is lost.
  let dropped = false;
  await page.route('**/api/returns', async (route) => {
    if (dropped) return route.continue();
    dropped = true;
    await route.fetch();
    await route.abort('connectionreset');
  });
  await page.getByRole('radio', { name: t('returns.reasons.damaged') }).click();
  await page.getByRole('button', { name: t('returns.confirm') }).click();
  await expect(page.getByRole('alert')).toHaveText(t('errors.network'));
  await page.getByRole('button', { name: t('returns.confirm') }).click();

  await expect(page.getByTestId('return-started')).toBeVisible();
  const made = await returnsOf(request, number);
  expect(made).toHaveLength(1);
  await expect(page.getByTestId('return-started').getByRole('heading', { level: 1 })).toHaveText(
    t('returns.started', { number: made[0].number }),
  );
  await cancelReturns(request, number);
});

test('a double click starts one return', async ({ page, request, t }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturn(request);
  await signIn(page, t, DEMO.li);
  await openReturn(page, t, number, item.name);

  await page.getByRole('radio', { name: t('returns.reasons.changed_mind') }).click();
  await page.getByRole('button', { name: t('returns.confirm') }).dblclick();
  await expect(page.getByTestId('return-started')).toBeVisible();
  expect(await returnsOf(request, number)).toHaveLength(1);
  await cancelReturns(request, number);
});
