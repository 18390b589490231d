import { test, expect, DEMO, completeSignIn, expectAccessible } from './fixtures';
import { signInApi, allOrders } from './api';

test('a guest finds an order with its number and email, and sees it masked', async ({ page, request, t }) => {
  await signInApi(request, DEMO.wang);
  const [order] = await allOrders(request);

  await page.goto('/');
  await page.getByRole('link', { name: t('home.track_title') }).click();
  await expect(page.getByRole('heading', { name: t('track.title'), level: 1 })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel(t('track.number_label')).fill(order.number.toLowerCase());
  await page.getByLabel(t('track.contact_label')).fill(DEMO.wang);
  await page.getByRole('button', { name: t('track.submit'), exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${order.number}$`));
  await expect(page.getByTestId('guest-notice')).toContainText(t('order.guest_notice'));
  const address = page.getByTestId('address');
  await expect(address).toContainText('138****1234');
  await expect(address).toContainText('王*');
  await expect(address).toContainText(t('order.street_hidden'));
  await expectAccessible(page);
  // A guest has no order list: the way back is the lookup.
  const back = page.locator('.back').getByRole('link');
  await expect(back).toHaveText(t('nav.track'));
  await expect(back).toHaveAttribute('href', '/track');

  // The owner signs in from here and comes back to the same order, in full.
  await page.getByRole('link', { name: t('order.guest_sign_in') }).click();
  await completeSignIn(page, t, DEMO.wang);
  await expect(page).toHaveURL(new RegExp(`/orders/${order.number}$`));
  await expect(page.getByTestId('guest-notice')).toHaveCount(0);
  await expect(page.getByTestId('address')).not.toContainText(t('order.street_hidden'));
  await expect(back).toHaveText(t('order.back'));
});

test('wrong details and an unknown order get the same answer, and the form keeps its input', async ({ page, request, t }) => {
  await signInApi(request, DEMO.wang);
  const [order] = await allOrders(request);
  const number = page.getByLabel(t('track.number_label'));
  const contact = page.getByLabel(t('track.contact_label'));
  const submit = page.getByRole('button', { name: t('track.submit'), exact: true });

  await page.goto('/track');
  await number.fill(order.number);
  await contact.fill(DEMO.li);
  await submit.click();
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText(t('errors.order_not_found'));
  await expect(number).toHaveValue(order.number);
  await expect(contact).toHaveValue(DEMO.li);
  await expectAccessible(page);

  await number.fill('PT99999999');
  await contact.fill(DEMO.wang);
  await submit.click();
  await expect(page.getByRole('alert')).toHaveText(t('errors.order_not_found'));

  await number.fill('12345');
  await submit.click();
  await expect(page.getByRole('alert').first()).toHaveText(t('errors.invalid_order_number'));
  await expect(number).toHaveValue('12345');
});
