import { test, expect, DEMO, signIn, expectAccessible, yuan, type Translate } from './fixtures';
import { signInApi, orderToReturnOver, returnsOf, cancelReturns, startReturn } from './api';
import { STAFF, fill, goToScreen, staffSignIn } from './staff-desk';
import type { BrowserContext } from '@playwright/test';

// A refund over ¥500 waits for a person: a publisher decides it in the staff app (/staff/), and
// the customer reads the decision on the return's page. Each journey starts its own return.
const REVIEWED_OVER = 50_000;

/** A new page of `context` signed in to the staff app as the demo publisher, and its review
 * queue (opened at its address, /staff/returns). In the test's own context (same viewport and
 * language) the staff session is a cookie of its own beside the customer's. */
async function publisherDesk(context: BrowserContext, s: Translate) {
  const desk = await context.newPage();
  await desk.goto('/staff/returns');
  await staffSignIn(desk, s, STAFF.publisher);
  const queue = desk.getByRole('region', { name: s('reviews.title') });
  await expect(queue).toBeVisible();
  return { desk, queue };
}

test('a return over ¥500 waits for review; a publisher approves it and the customer reads it approved', async ({ page, request, t, s }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturnOver(request, REVIEWED_OVER);
  const before = (await returnsOf(request, number)).map((r) => r.number);
  await signIn(page, t, DEMO.li);

  // The customer starts it from the order, to be dropped off.
  await page.goto(`/orders/${number}`);
  await page.locator('.items li', { hasText: item.name }).getByRole('link', { name: t('returns.start'), exact: true }).click();
  await page.getByRole('radio', { name: t('returns.reasons.not_as_described') }).click();
  await page.getByRole('radio', { name: t('returns.handovers.drop_off') }).click();
  await page.getByRole('button', { name: t('returns.confirm') }).click();
  await expect(page.getByTestId('return-started')).toBeVisible();
  const [made] = (await returnsOf(request, number)).filter((r) => !before.includes(r.number));
  expect(made).toMatchObject({ status: 'pending_review', refund: item.unit_price * item.returnable_quantity });
  await page.getByRole('link', { name: t('returns.follow') }).click();
  await expect(page.getByTestId('return-status')).toHaveText(t('returns.status.pending_review'));
  await expect(page.locator('.return-steps li[aria-current="step"]')).toHaveText(t('returns.steps.pending_review'));
  await expectAccessible(page);

  // The publisher finds it in the queue with what it takes back, the money and the customer.
  const { desk, queue } = await publisherDesk(page.context(), s);
  const panel = queue.getByTestId('review').filter({ hasText: made.number });
  await expect(panel).toContainText(item.name);
  await expect(panel.getByTestId('review-refund')).toHaveText(yuan(made.refund));
  await expect(panel).toContainText('李娜');
  await expect(panel).toContainText(s('reasons.not_as_described'));
  await expectAccessible(desk);
  await panel.getByRole('button', { name: s('reviews.approve'), exact: true }).click();
  await expect(queue.getByRole('status')).toHaveText(fill(s('reviews.approved'), made.number));
  await expect(panel).toHaveCount(0);
  // The audit log says who approved it.
  await goToScreen(desk, s, 'audit.title');
  await expect(desk.getByTestId('audit-entry').filter({ hasText: made.number }).first()).toContainText(s('audit.return_approve'));
  await expectAccessible(desk);
  await desk.close();

  // The customer's page, read again: approved, with the code to show at the drop-off point.
  await page.reload();
  await expect(page.getByTestId('return-status')).toHaveText(t('returns.status.approved'));
  await expect(page.locator('.return-steps li[aria-current="step"]')).toHaveText(t('returns.steps.approved'));
  await expect(page.getByTestId('drop-off-code')).toBeVisible();
  await expect(page.getByTestId('decision-reason')).toHaveCount(0);
  await expectAccessible(page);
  await cancelReturns(request, number);
});

test('a publisher rejects a return with a reason, and the customer reads why, as plain text', async ({ page, request, t, s }) => {
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturnOver(request, REVIEWED_OVER);
  const made = await startReturn(request, number, item);
  expect(made.status).toBe('pending_review');
  const { desk, queue } = await publisherDesk(page.context(), s);
  const panel = queue.getByTestId('review').filter({ hasText: made.number });
  const field = panel.getByLabel(s('reviews.note'));

  // Rejecting without a reason is said at the field, before anything is sent.
  await panel.getByRole('button', { name: s('reviews.reject'), exact: true }).click();
  await expect(panel.getByRole('alert')).toHaveText(s('reviews.need_reason'));
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  expect((await returnsOf(request, number)).find((r) => r.number === made.number)?.status).toBe('pending_review');
  await expectAccessible(desk);

  // What the reviewer writes is what the customer reads: markup included, as text.
  const reason = 'The seal is broken and the box was opened <b>twice</b>.';
  await field.fill(reason);
  await panel.getByRole('button', { name: s('reviews.reject'), exact: true }).click();
  await expect(queue.getByRole('status')).toHaveText(fill(s('reviews.rejected'), made.number));
  await expect(panel).toHaveCount(0);
  await goToScreen(desk, s, 'audit.title');
  await expect(desk.getByTestId('audit-entry').filter({ hasText: made.number }).first()).toContainText(s('audit.return_reject'));
  await desk.close();

  await signIn(page, t, DEMO.li);
  await page.goto(`/returns/${made.number}`);
  await expect(page.getByTestId('return-status')).toHaveText(t('returns.status.rejected'));
  const why = page.getByTestId('decision-reason');
  await expect(why).toHaveText(`${t('returns.decision_why')}${reason}`);
  await expect(why.locator('b')).toHaveCount(0);
  await expect(page.getByRole('button', { name: t('returns.cancel') })).toHaveCount(0);
  await expectAccessible(page);
  // The message about it says why too (in Li's language: the one she last signed in in, or both).
  const said = [`Reason: ${reason}`, `原因：${reason}`];
  await expect
    .poll(async () => {
      const messages: { to: string; subject: string; body: string }[] = await (await request.get('/api/dev/outbox')).json();
      return messages.some((m) => m.to === DEMO.li && m.subject.includes(made.number) && said.some((w) => m.body.includes(w)));
    }, { message: 'a message with the reason' })
    .toBeTruthy();
});

test('a second publisher deciding the same return is told someone else already did', async ({ page, browser, request, s, lang }) => {
  await signInApi(request, DEMO.chen);
  const { number, item } = await orderToReturnOver(request, REVIEWED_OVER);
  const made = await startReturn(request, number, item);
  const first = await publisherDesk(page.context(), s);
  // The other publisher on another machine: a browser of their own (a sign-in replaces the
  // staff session of the browser it happens in).
  const elsewhere = await browser.newContext({
    baseURL: new URL(first.desk.url()).origin,
    locale: lang === 'en' ? 'en-US' : 'zh-CN',
    viewport: page.viewportSize(),
  });
  const second = await publisherDesk(elsewhere, s);
  const theirs = second.queue.getByTestId('review').filter({ hasText: made.number });
  await expect(theirs).toBeVisible();

  await first.queue.getByTestId('review').filter({ hasText: made.number }).getByRole('button', { name: s('reviews.approve'), exact: true }).click();
  await expect(first.queue.getByRole('status')).toHaveText(fill(s('reviews.approved'), made.number));
  await theirs.getByRole('button', { name: s('reviews.approve'), exact: true }).click();
  await expect(second.queue.getByRole('status')).toHaveText(fill(s('reviews.decided_elsewhere'), made.number));
  await expect(theirs).toHaveCount(0);
  await expectAccessible(second.desk);
  expect((await returnsOf(request, number)).find((r) => r.number === made.number)?.status).toBe('approved');
  await elsewhere.close();
  await first.desk.close();
  await cancelReturns(request, number);
});
