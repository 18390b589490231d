import { test, expect, DEMO, signIn, expectAccessible, goVia, yuan, shopDate, type Translate } from './fixtures';
import { signInApi, allOrders, orderToReturn, orderToExchange, returnsOf, cancelReturns, startReturn, named, type Named, type Returnable } from './api';
import type { APIRequestContext, Page } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** The order's returns started since `before` (the numbers there were): this journey's own. */
async function startedSince(request: APIRequestContext, order: string, before: string[]) {
  return (await returnsOf(request, order)).filter((r) => !before.includes(r.number));
}

/** From the order page, the item's "Return" link. */
async function openReturn(page: Page, t: Translate, number: string, name: string) {
  await page.goto(`/orders/${number}`);
  await page.locator('.items li', { hasText: name }).getByRole('link', { name: t('returns.start'), exact: true }).click();
  await expect(page.getByRole('heading', { name: t('returns.title'), level: 1 })).toBeVisible();
}

/** A line as `GET /api/orders/{n}/returnable` judges it. */
type Verdict = Returnable['items'][number] & { return_by?: string; not_returnable?: string };

async function verdicts(request: APIRequestContext, order: string): Promise<Verdict[]> {
  const answer = await request.get(`/api/orders/${order}/returnable`);
  expect(answer.ok()).toBeTruthy();
  // Each item's name as the project's reader reads it.
  return (await answer.json()).items.map((item: Omit<Verdict, 'name'> & { name: Named }) => ({ ...item, name: named(item.name) }));
}

/** What an item's row says when nothing (more) of it can go back: a closed window says the day. */
function whyNot(t: Translate, item: Verdict) {
  if (item.not_returnable === 'window_closed' && item.return_by) {
    return t('returns.why_not.closed_on').replace('[date]', shopDate(t, item.return_by));
  }
  return t(`returns.why_not.${item.not_returnable}`);
}

test('the order page offers "Return" only where something can go back, and says why not beside the rest', async ({ page, request, t }) => {
  await signInApi(request, DEMO.wang);
  // Wang's orders: delivered long ago, delivered lately (one of its items then goes into a
  // return), a parcel delivered beside one on its way, final sale, still on their way.
  const numbers = (await allOrders(request)).map((o) => o.number);
  let open: { number: string; item: Verdict } | undefined;
  for (const number of numbers) {
    const item = (await verdicts(request, number)).find((i) => i.returnable_quantity > 0);
    if (item && !open) open = { number, item };
  }
  expect(open, 'an order with an item that can go back').toBeTruthy();
  await startReturn(request, open!.number, open!.item);
  await signIn(page, t, DEMO.wang);

  const said = new Set<string>();
  for (const number of numbers) {
    await page.goto(`/orders/${number}`);
    for (const item of await verdicts(request, number)) {
      const row = page.locator('.items > li').nth(item.line - 1);
      await expect(row).toContainText(item.name);
      const link = row.getByRole('link', { name: t('returns.start'), exact: true });
      if (item.returnable_quantity > 0) {
        await expect(link).toBeVisible();
        await expect(row).toContainText(t('returns.open_until').replace('[date]', shopDate(t, item.return_by!)));
        await expect(row.getByTestId('why-not-returnable')).toHaveCount(0);
      } else {
        await expect(link).toHaveCount(0);
        await expect(row.getByTestId('why-not-returnable')).toHaveText(whyNot(t, item));
        said.add(item.not_returnable!);
      }
    }
    if (number === open!.number) await expectAccessible(page);
  }
  expect([...said]).toEqual(expect.arrayContaining(['final_sale', 'not_delivered', 'return_in_progress', 'window_closed']));
  await cancelReturns(request, open!.number);
});

test('a return takes three clicks: open, reason, confirm', async ({ page, request, t }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturn(request);
  const before = (await returnsOf(request, number)).map((r) => r.number);
  await signIn(page, t, DEMO.li);
  await page.goto(`/orders/${number}`);
  // Every click the customer makes from here on, counted by the page itself.
  await page.evaluate(() => {
    (window as unknown as { clicks: number }).clicks = 0;
    document.addEventListener('click', () => (window as unknown as { clicks: number }).clicks++, true);
  });

  await page.locator('.items li', { hasText: item.name }).getByRole('link', { name: t('returns.start'), exact: true }).click();
  // Pre-filled: the item it came from, a refund to the original payment, and — free for a Gold
  // customer — doorstep pickup in the earliest slot.
  const row = page.locator('.return-item', { hasText: item.name });
  await expect(row.getByRole('checkbox')).toBeChecked();
  await expect(page.getByRole('radio', { name: t('returns.resolutions.refund') })).toBeChecked();
  await expect(page.getByRole('radio', { name: t('returns.handovers.pickup') })).toBeChecked();
  await expect(page.getByText(t('returns.pickup_free'))).toBeVisible();
  const offer: Returnable & { pickup: { fee: number; slots: { starts_at: string; remaining: number }[] } } = await (
    await request.get(`/api/orders/${number}/returnable`)
  ).json();
  const earliest = offer.pickup.slots.find((s) => s.remaining > 0)!.starts_at;
  await expect(page.getByLabel(t('returns.slot'))).toHaveValue(earliest);
  await expect(page.getByTestId('return-total')).toContainText(
    yuan(item.unit_price * item.returnable_quantity),
  );
  await expectAccessible(page);

  await page.getByRole('radio', { name: t('returns.reasons.wrong_size') }).click();
  await page.getByRole('button', { name: t('returns.confirm') }).click();

  const started = page.getByTestId('return-started');
  await expect(started).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { clicks: number }).clicks)).toBe(3);
  const made = await startedSince(request, number, before);
  expect(made).toHaveLength(1);
  expect(made[0].lines).toEqual([expect.objectContaining({ line: item.line, quantity: item.returnable_quantity })]);
  expect(made[0].refund).toBe(item.unit_price * item.returnable_quantity);
  // Up to ¥500 is approved at once (the pickup is then booked); more waits for review.
  const status = made[0].refund <= 50_000 ? 'pickup_scheduled' : 'pending_review';
  expect(made[0]).toMatchObject({ handover: 'pickup', pickup: { starts_at: earliest }, status });
  await expect(started.getByRole('heading', { level: 1 })).toHaveText(t('returns.started', { number: made[0].number }));
  // What happens next: how much, to where, and — the pickup being booked — by when.
  await expect(page.locator('.amounts')).toContainText(t('returns.resolutions.refund'));
  await expect(page.locator('.amounts')).toContainText(yuan(made[0].refund));
  expect(made[0].settles_by).toBeTruthy();
  await expect(page.getByTestId('settles')).toHaveText(t('returns.settle_by').replace('[date]', shopDate(t, made[0].settles_by!)));
  await expectAccessible(page);

  // The order's page now lists the return, and leads to it.
  await page.locator('.form-links').getByRole('link', { name: t('returns.back') }).click();
  const listed = page.getByTestId('order-returns').locator('li', { hasText: made[0].number });
  await expect(listed).toContainText(t(`returns.status.${status}`));
  await listed.getByRole('link', { name: t('returns.detail_title', { number: made[0].number }) }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('returns.detail_title', { number: made[0].number }));
  await cancelReturns(request, number);
});

test('two tabs confirming the same item start one return, and the second tab says why not', async ({ page, request, t }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturn(request);
  const before = (await returnsOf(request, number)).map((r) => r.number);
  await signIn(page, t, DEMO.li);
  const other = await page.context().newPage();
  await openReturn(page, t, number, item.name);
  await openReturn(other, t, number, item.name);
  for (const tab of [page, other]) {
    await tab.getByRole('radio', { name: t('returns.reasons.wrong_size') }).click();
  }

  await page.getByRole('button', { name: t('returns.confirm') }).click();
  await expect(page.getByTestId('return-started')).toBeVisible();
  await other.getByRole('button', { name: t('returns.confirm') }).click();
  await expect(other.getByRole('alert')).toHaveText(t('errors.not_returnable'));
  // Nothing the customer chose in the second tab is lost.
  await expect(other.getByRole('radio', { name: t('returns.reasons.wrong_size') })).toBeChecked();
  await expect(other.locator('.return-item', { hasText: item.name }).getByRole('checkbox')).toBeChecked();
  expect(await startedSince(request, number, before)).toHaveLength(1);
  await expectAccessible(other);
  await cancelReturns(request, number);
});

test('confirming without a reason asks for one and keeps every choice', async ({ page, request, t }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturn(request);
  const before = (await returnsOf(request, number)).map((r) => r.number);
  await signIn(page, t, DEMO.li);
  await openReturn(page, t, number, item.name);

  await page.getByText(t('returns.resolutions.store_credit').replace('[percent]', '5'), { exact: true }).click();
  await page.getByRole('button', { name: t('returns.confirm') }).click();
  await expect(page.getByRole('alert')).toHaveText(t('returns.need_reason'));
  await expect(page.getByRole('radio', { name: t('returns.resolutions.store_credit').replace('[percent]', '5') })).toBeChecked();
  await expect(page.locator('.return-item', { hasText: item.name }).getByRole('checkbox')).toBeChecked();
  expect(await startedSince(request, number, before)).toHaveLength(0);
  await expectAccessible(page);
});

test('a retry after the network dropped the answer starts one return, not two', async ({ page, request, t }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturn(request);
  const before = (await returnsOf(request, number)).map((r) => r.number);
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
  const made = await startedSince(request, number, before);
  expect(made).toHaveLength(1);
  await expect(page.getByTestId('return-started').getByRole('heading', { level: 1 })).toHaveText(
    t('returns.started', { number: made[0].number }),
  );
  await cancelReturns(request, number);
});

test('a double click starts one return', async ({ page, request, t }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturn(request);
  const before = (await returnsOf(request, number)).map((r) => r.number);
  await signIn(page, t, DEMO.li);
  await openReturn(page, t, number, item.name);

  await page.getByRole('radio', { name: t('returns.reasons.changed_mind') }).click();
  await page.getByRole('button', { name: t('returns.confirm') }).dblclick();
  await expect(page.getByTestId('return-started')).toBeVisible();
  expect(await startedSince(request, number, before)).toHaveLength(1);
  await cancelReturns(request, number);
});

test('a customer who pays for pickup sees the fee first, drops off by default and gets a QR code that scans', async ({ page, request, t }) => {
  await signInApi(request, DEMO.wang);
  const { number, item } = await orderToReturn(request);
  const before = (await returnsOf(request, number)).map((r) => r.number);
  await signIn(page, t, DEMO.wang);
  await openReturn(page, t, number, item.name);

  await expect(page.getByRole('radio', { name: t('returns.handovers.drop_off') })).toBeChecked();
  await expect(page.getByText(t('returns.pickup_fee').replace('[fee]', '¥8.00'))).toBeVisible();
  await page.getByRole('radio', { name: t('returns.reasons.not_as_described') }).click();
  await page.getByRole('button', { name: t('returns.confirm') }).click();
  await expect(page.getByTestId('return-started')).toBeVisible();

  const [made] = await startedSince(request, number, before);
  const code = (made as unknown as { drop_off_code: string }).drop_off_code;
  await expect(page.getByTestId('drop-off-code')).toHaveText(code);
  const qr = page.locator('.drop-off img');
  await expect(qr).toHaveJSProperty('complete', true);
  const png = PNG.sync.read(await qr.screenshot());
  const scanned = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(scanned?.data, 'the QR code on the screen decodes').toBe(code);
  await expectAccessible(page);
  await cancelReturns(request, number);
});

test('a slot that fills up while the customer decides is marked full and the next one offered', async ({ page, request, t, browser }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturn(request);
  const before = (await returnsOf(request, number)).map((r) => r.number);
  await signIn(page, t, DEMO.li);
  await openReturn(page, t, number, item.name);
  await page.getByRole('radio', { name: t('returns.reasons.arrived_late') }).click();
  await page.getByRole('radio', { name: t('returns.resolutions.store_credit').replace('[percent]', '5') }).click();
  const slot = await page.getByLabel(t('returns.slot')).inputValue();

  // Meanwhile other customers book every place in that slot.
  const others = await browser.newContext();
  await signInApi(others.request, DEMO.chen);
  const booked: string[] = [];
  for (let i = 0; ; i++) {
    const { number: order, item: line } = await orderToReturn(others.request);
    const answer = await others.request.post('/api/returns', {
      headers: { 'Idempotency-Key': `fill-${slot}-${i}-${Date.now()}` },
      data: { order, lines: [{ line: line.line, quantity: 1 }], reason: 'other', resolution: 'refund', handover: 'pickup', pickup_slot: slot },
    });
    if (answer.status() === 409) break;
    expect(answer.status()).toBe(201);
    booked.push(order);
  }

  await page.getByRole('button', { name: t('returns.confirm') }).click();
  await expect(page.getByRole('alert')).toHaveText(t('errors.pickup_slot_full'));
  const picker = page.getByLabel(t('returns.slot'));
  await expect(picker).not.toHaveValue(slot);
  await expect(picker.locator(`option[value="${slot}"]`)).toBeDisabled();
  // Every other choice is as it was.
  await expect(page.getByRole('radio', { name: t('returns.reasons.arrived_late') })).toBeChecked();
  await expect(page.getByRole('radio', { name: t('returns.resolutions.store_credit').replace('[percent]', '5') })).toBeChecked();
  await expectAccessible(page);

  await page.getByRole('button', { name: t('returns.confirm') }).click();
  await expect(page.getByTestId('return-started')).toBeVisible();
  const [made] = await startedSince(request, number, before);
  expect(made.pickup!.starts_at).not.toBe(slot);
  // Store credit: the goods' value and 5% more, rounded down to the fen.
  const goods = item.unit_price * item.returnable_quantity;
  expect(made).toMatchObject({ resolution: 'store_credit', refund: goods + Math.floor((goods * 5) / 100) });
  await cancelReturns(request, number);
  for (const order of booked) await cancelReturns(others.request, order);
  await others.close();
});

test('a customer follows a return step by step and can cancel it before the pickup', async ({ page, request, t }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturn(request);
  const before = (await returnsOf(request, number)).map((r) => r.number);
  await signIn(page, t, DEMO.li);
  await openReturn(page, t, number, item.name);
  await page.getByRole('radio', { name: t('returns.reasons.other') }).click();
  await page.getByRole('button', { name: t('returns.confirm') }).click();
  await page.getByRole('link', { name: t('returns.follow') }).click();

  const [made] = await startedSince(request, number, before);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(t('returns.detail_title', { number: made.number }));
  const steps = page.locator('.return-steps li');
  await expect(steps.first()).toHaveClass('done');
  const step = made.refund <= 50_000 ? 'pickup_scheduled' : 'pending_review';
  await expect(page.locator('.return-steps li[aria-current="step"]')).toHaveText(t(`returns.steps.${step}`));
  await expect(page.getByTestId('pickup-window')).toBeVisible();
  await expectAccessible(page);

  // The pickup moves to another free slot of the week.
  const booked = made.pickup!.starts_at;
  await page.getByRole('button', { name: t('returns.reschedule') }).click();
  const picker = page.getByLabel(t('returns.slot'));
  await expect(picker).toHaveValue(booked);
  const other = await picker.locator(`option:not([disabled]):not([value="${booked}"])`).first().getAttribute('value');
  await picker.selectOption(other!);
  await page.getByRole('button', { name: t('returns.reschedule_save') }).click();
  await expect(page.getByRole('button', { name: t('returns.reschedule') })).toBeVisible();
  expect((await startedSince(request, number, before))[0].pickup!.starts_at).toBe(other);
  await expectAccessible(page);

  // "My returns" lists it and leads back to it.
  await goVia(page, t, 'nav.returns');
  await expect(page.getByRole('heading', { name: t('returns.list_title'), level: 1 })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: t('returns.detail_title', { number: made.number }) }).click();

  await page.getByRole('button', { name: t('returns.cancel') }).click();
  await expect(page.getByText(t('returns.cancel_question'))).toBeVisible();
  await page.getByRole('button', { name: t('returns.cancel_keep') }).click();
  expect((await startedSince(request, number, before))[0].status).toBe(made.status);
  await page.getByRole('button', { name: t('returns.cancel') }).click();
  await page.getByRole('button', { name: t('returns.cancel_yes') }).click();
  await expect(page.getByTestId('return-status')).toHaveText(t('returns.status.cancelled'));
  await expect(page.getByRole('button', { name: t('returns.cancel') })).toHaveCount(0);
  expect(await startedSince(request, number, before)).toHaveLength(0);
  await expectAccessible(page);
});

test('a guest starts a return for an order they looked up, and the link in the message opens it anywhere', async ({ page, request, t, browser, lang }) => {
  await signInApi(request, DEMO.wang);
  const { number, item } = await orderToReturn(request);
  const before = (await returnsOf(request, number)).map((r) => r.number);

  // No account: the order is found with its number and the buyer's email.
  await page.goto('/track');
  await page.getByLabel(t('track.number_label')).fill(number);
  await page.getByLabel(t('track.contact_label')).fill(DEMO.wang);
  await page.getByRole('button', { name: t('track.submit'), exact: true }).click();
  await expect(page.getByTestId('guest-notice')).toBeVisible();
  await page.locator('.items li', { hasText: item.name }).getByRole('link', { name: t('returns.start'), exact: true }).click();
  await page.getByRole('radio', { name: t('returns.reasons.changed_mind') }).click();
  await page.getByRole('button', { name: t('returns.confirm') }).click();
  await expect(page.getByTestId('return-started')).toBeVisible();
  const [made] = await startedSince(request, number, before);

  // The message about it carries a link that opens it in a browser that has nothing.
  let link = '';
  await expect
    .poll(async () => {
      const messages: { to: string; body: string }[] = await (await request.get('/api/dev/outbox')).json();
      link = messages.map((m) => m.body.match(new RegExp(`/returns/${made.number}\\?t=[^\\s)）]+`))?.[0]).find(Boolean) ?? '';
      return link;
    }, { message: 'a message with a link to the return' })
    .toBeTruthy();
  const stranger = await browser.newContext();
  if (lang === 'en') await stranger.addInitScript(() => localStorage.setItem('portico.locale', 'en'));
  const elsewhere = await stranger.newPage();
  await elsewhere.goto(link);
  await expect(elsewhere.getByRole('heading', { level: 1 })).toHaveText(t('returns.detail_title', { number: made.number }));
  await expect(elsewhere.getByTestId('drop-off-code')).toHaveText((made as unknown as { drop_off_code: string }).drop_off_code);

  // A link that was altered opens nothing, and says so.
  const broken = await stranger.newPage();
  await broken.goto(link.replace(/t=(\d+)\./, (_, expiry) => `t=${Number(expiry) + 1}.`));
  await expect(broken.getByRole('alert')).toBeVisible();
  await expect(broken.getByTestId('drop-off-code')).toHaveCount(0);
  await stranger.close();
  await cancelReturns(request, number);
});

test('an item can be exchanged for another size or colour in stock, with nothing to pay', async ({ page, request, t }) => {
  await signInApi(request, DEMO.chen);
  const { number, item, variant } = await orderToExchange(request);
  const before = (await returnsOf(request, number)).map((r) => r.number);
  await signIn(page, t, DEMO.chen);
  await openReturn(page, t, number, item.name);

  await page.getByRole('radio', { name: t('returns.reasons.wrong_size') }).click();
  await page.getByRole('radio', { name: t('returns.resolutions.exchange') }).click();
  const picker = page.getByLabel(t('returns.exchange_for', { item: item.name }));
  await expect(picker).toHaveValue(variant.sku);
  await expect(page.getByTestId('return-total')).toContainText('¥0.00');
  await expectAccessible(page);
  await page.getByRole('button', { name: t('returns.confirm') }).click();
  await expect(page.getByTestId('return-started')).toBeVisible();

  const [made] = await startedSince(request, number, before);
  expect(made).toMatchObject({ resolution: 'exchange', refund: 0 });
  expect(made.lines[0]).toMatchObject({ line: item.line, exchange_for: { sku: variant.sku } });
  await cancelReturns(request, number);
});
