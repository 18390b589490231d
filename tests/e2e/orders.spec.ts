import { test, expect, DEMO, signIn, completeSignIn, expectAccessible } from './fixtures';
import { signInApi, allOrders, orderDetail } from './api';

test('the order list is newest first and paged', async ({ page, request }) => {
  await signInApi(request, DEMO.chen);
  const orders = await allOrders(request);
  expect(orders.length).toBeGreaterThan(10);

  await signIn(page, DEMO.chen);
  const rows = page.locator('.order-row');
  await expect(rows).toHaveCount(10);
  await expect(rows.first()).toContainText(orders[0].number);
  await expect(page.getByText('第 1 页，共 2 页')).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: '下一页' }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(rows.first()).toContainText(orders[10].number);
  await expectAccessible(page);
});

test('order detail shows items, amounts and each parcel with its timeline', async ({ page, request }) => {
  await signInApi(request, DEMO.chen);
  const orders = await allOrders(request);
  // An order with a long history, so "show more" has something to show.
  let target = null;
  for (const order of orders.filter((o) => o.status === 'delivered')) {
    const detail = await orderDetail(request, order.number);
    if (detail.shipments.some((s) => s.checkpoints.length > 3)) {
      target = detail;
      break;
    }
  }
  expect(target, 'a delivered order with more than 3 checkpoints').toBeTruthy();

  await signIn(page, DEMO.chen);
  await page.goto(`/orders/${target!.number}`);
  await expect(page.getByRole('heading', { name: `订单 ${target!.number}`, level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: '商品' })).toBeVisible();
  await expect(page.getByText('实付款')).toBeVisible();
  await expect(page.getByTestId('address')).not.toContainText('*');
  const parcel = page.locator('article.shipment').first();
  await expect(parcel.getByTestId('tracking-number')).toHaveText(target!.shipments[0].tracking_number);
  await expect(parcel.locator('.timeline li')).toHaveCount(3);
  await expectAccessible(page);

  const more = parcel.getByRole('button', { name: /查看更早的/ });
  await more.click();
  await expect(parcel.locator('.timeline li')).toHaveCount(target!.shipments[0].checkpoints.length);
  await expect(parcel.getByRole('button', { name: '收起' })).toHaveAttribute('aria-expanded', 'true');
  await expectAccessible(page);
});

test('a parcel in trouble says so plainly, with the next step', async ({ page, request }) => {
  await signInApi(request, DEMO.wang);
  const orders = await allOrders(request);
  const troubled = orders.find((o) => o.status === 'exception');
  expect(troubled, 'wang.wei has an order with an exception').toBeTruthy();

  await signIn(page, DEMO.wang);
  await page.goto(`/orders/${troubled!.number}`);
  const notice = page.getByRole('note').filter({ hasText: '配送异常' });
  await expect(notice).toContainText('请确认收货地址和手机号是否正确');
  await expectAccessible(page);
});

test('a moving parcel updates by itself and says a new checkpoint came', async ({ page, request }) => {
  await signInApi(request, DEMO.wang);
  const orders = await allOrders(request);
  // Earlier runs (the other viewport) may have moved parcels on: any moving one will do.
  const moving = orders.find((o) => ['in_transit', 'info_received', 'out_for_delivery'].includes(o.status ?? ''));
  expect(moving, 'wang.wei has a moving parcel').toBeTruthy();

  await signIn(page, DEMO.wang);
  await page.goto(`/orders/${moving!.number}`);
  await expect(page.getByText('包裹运输期间，本页面会自动更新。')).toBeVisible();
  const before = await page.locator('.timeline li').count();
  expect((await request.post('/api/dev/advance-shipments')).ok()).toBeTruthy();
  await expect(page.getByTestId('new-checkpoint')).toContainText('包裹有新动态', { timeout: 20_000 });
  await expect(page.locator('.timeline li').first()).toBeVisible();
  expect(await page.locator('.timeline li').count()).toBeGreaterThanOrEqual(Math.min(before, 3));
  await expectAccessible(page);
});

test('a signed-out customer opening an order link signs in and lands on that order', async ({ page, request }) => {
  await signInApi(request, DEMO.li);
  const [order] = await allOrders(request);

  await page.goto(`/orders/${order.number}`);
  await expect(page.getByText('登录后即可查看您的订单。')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: '登录' }).last().click();
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await completeSignIn(page, DEMO.li);
  await expect(page).toHaveURL(new RegExp(`/orders/${order.number}$`));
  await expect(page.getByRole('heading', { name: `订单 ${order.number}`, level: 1 })).toBeVisible();
});
