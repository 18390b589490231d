import { test, expect, DEMO, signIn, completeSignIn, expectAccessible } from './fixtures';
import { signInApi, allOrders, orderDetail, named, type Checkpoint, type Detail } from './api';

test('the order list is newest first and paged', async ({ page, request, t, lang }) => {
  await signInApi(request, DEMO.chen);
  const orders = await allOrders(request);
  expect(orders.length).toBeGreaterThan(10);

  await signIn(page, t, DEMO.chen);
  const rows = page.locator('.order-row');
  await expect(rows).toHaveCount(10);
  await expect(rows.first()).toContainText(orders[0].number);
  // The first item's name, in the reader's language (the demo names items in both).
  const headline = orders[0].headline;
  expect(headline.en && headline['zh-CN'] && headline.en !== headline['zh-CN']).toBeTruthy();
  await expect(rows.first().locator('.order-headline')).toHaveText(headline[lang]!);
  await expect(page.getByText(t('orders.page_of', { page: 1, pages: 2 }))).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: t('orders.next') }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(rows.first()).toContainText(orders[10].number);
  await expectAccessible(page);
});

test('order detail shows items, amounts and each parcel with its timeline', { tag: '@matrix' }, async ({ page, request, t, lang }) => {
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

  await signIn(page, t, DEMO.chen);
  await page.goto(`/orders/${target!.number}`);
  await expect(page.getByRole('heading', { name: t('order.title', { number: target!.number }), level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: t('order.items'), exact: true })).toBeVisible();
  await expect(page.getByText(t('order.total'), { exact: true })).toBeVisible();
  await expect(page.getByTestId('address')).not.toContainText('*');
  // Each item (name and variant), and each parcel's items, in the reader's language: English in the English
  // projects, Chinese in the Chinese ones (the demo names every item in both).
  for (const item of target!.items) expect(item.name.en && item.name['zh-CN'] && item.name.en !== item.name['zh-CN']).toBeTruthy();
  await expect(page.locator('.items .item-name')).toHaveText(target!.items.map((i) => i.name[lang]!));
  for (const [k, item] of target!.items.entries()) await expect(page.locator('.items li').nth(k)).toContainText(item.variant[lang]!);
  const parcel = page.locator('article.shipment').first();
  await expect(parcel).toContainText(target!.shipments[0].items.map((n) => named(n, lang)).join(t('common.list_separator')));
  await expect(parcel.getByTestId('tracking-number')).toHaveText(target!.shipments[0].tracking_number);
  await expect(parcel.locator('.timeline li')).toHaveCount(3);
  await expectAccessible(page);

  const more = parcel.getByRole('button', { name: t('shipment.show_more', { count: target!.shipments[0].checkpoints.length - 3 }) });
  await more.click();
  await expect(parcel.locator('.timeline li')).toHaveCount(target!.shipments[0].checkpoints.length);
  await expect(parcel.getByRole('button', { name: t('shipment.show_less') })).toHaveAttribute('aria-expanded', 'true');
  await expectAccessible(page);
});

test('a parcel in trouble says so plainly, with the next step', async ({ page, request, t }) => {
  await signInApi(request, DEMO.wang);
  const orders = await allOrders(request);
  const troubled = orders.find((o) => o.status === 'exception');
  expect(troubled, 'wang.wei has an order with an exception').toBeTruthy();

  await signIn(page, t, DEMO.wang);
  await page.goto(`/orders/${troubled!.number}`);
  const notice = page.getByRole('note').filter({ hasText: t('status.exception') });
  await expect(notice).toContainText(t('next_action.exception'));
  await expectAccessible(page);
});

test('a moving parcel updates by itself and says a new checkpoint came', async ({ page, request, t }) => {
  await signInApi(request, DEMO.wang);
  const orders = await allOrders(request);
  // Earlier runs (the other viewport) may have moved parcels on: any moving one will do.
  const moving = orders.find((o) => ['in_transit', 'info_received', 'out_for_delivery'].includes(o.status ?? ''));
  expect(moving, 'wang.wei has a moving parcel').toBeTruthy();

  // Each parcel's timeline shows its newest three checkpoints until "show more".
  const shownRows = (detail: Detail) => detail.shipments.reduce((n, s) => n + Math.min(s.checkpoints.length, 3), 0);

  await signIn(page, t, DEMO.wang);
  await page.goto(`/orders/${moving!.number}`);
  await expect(page.getByText(t('shipment.live_note'))).toBeVisible();
  await expect(page.locator('.timeline li')).toHaveCount(shownRows(await orderDetail(request, moving!.number)));
  expect((await request.post('/api/dev/advance-shipments')).ok()).toBeTruthy();

  // The notice names the newest checkpoint, as the service now has it.
  const after = await orderDetail(request, moving!.number);
  const newest = after.shipments
    .map((s) => s.checkpoints[0])
    .reduce<Checkpoint | undefined>((best, c) => (c && (!best || c.at >= best.at) ? c : best), undefined);
  expect(newest, 'the advanced order has a checkpoint').toBeTruthy();
  await expect(page.getByTestId('new-checkpoint')).toHaveText(
    t('shipment.new_checkpoint', { what: t(`event.${newest!.event}`) }),
    { timeout: 20_000 },
  );
  await expect(page.locator('.timeline li')).toHaveCount(shownRows(after));
  await expectAccessible(page);
});

test('a signed-out customer opening an order link signs in and lands on that order', async ({ page, request, t }) => {
  await signInApi(request, DEMO.li);
  const [order] = await allOrders(request);

  await page.goto(`/orders/${order.number}`);
  await expect(page.getByText(t('orders.sign_in_needed'))).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: t('nav.sign_in') }).last().click();
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await completeSignIn(page, t, DEMO.li);
  await expect(page).toHaveURL(new RegExp(`/orders/${order.number}$`));
  await expect(page.getByRole('heading', { name: t('order.title', { number: order.number }), level: 1 })).toBeVisible();
});

test('copying a tracking number says "copied" once it is on the clipboard', async ({ page, context, request, t }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signInApi(request, DEMO.li);
  const shipped = (await allOrders(request)).find((o) => o.shipment_count > 0);
  expect(shipped, 'li.na has an order with a parcel').toBeTruthy();
  const first = shipped!;
  const detail = await orderDetail(request, first.number);

  await signIn(page, t, DEMO.li);
  await page.goto(`/orders/${first.number}`);
  await page.getByRole('button', { name: t('shipment.copy'), exact: true }).first().click();
  await expect(page.getByRole('button', { name: t('shipment.copied'), exact: true }).first()).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(detail.shipments[0].tracking_number);
});

test('a clipboard that refuses the write never shows "copied"', async ({ page, request, t }) => {
  await page.addInitScript(() => {
    const refuse = () => {
      (window as unknown as { refused: number }).refused = ((window as unknown as { refused?: number }).refused ?? 0) + 1;
      return Promise.reject(new DOMException('not allowed here', 'NotAllowedError'));
    };
    Object.defineProperty(navigator.clipboard, 'writeText', { value: refuse });
  });
  await signInApi(request, DEMO.li);
  const shipped = (await allOrders(request)).find((o) => o.shipment_count > 0);
  expect(shipped, 'li.na has an order with a parcel').toBeTruthy();

  await signIn(page, t, DEMO.li);
  await page.goto(`/orders/${shipped!.number}`);
  await page.getByRole('button', { name: t('shipment.copy'), exact: true }).first().click();
  await page.waitForFunction(() => (window as unknown as { refused?: number }).refused === 1);
  // The refusal has been handled (a macrotask later): the button still offers to copy.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
  await expect(page.getByRole('button', { name: t('shipment.copied'), exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: t('shipment.copy'), exact: true }).first()).toBeVisible();
});
