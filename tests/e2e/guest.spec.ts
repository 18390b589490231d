import { test, expect, DEMO, completeSignIn, expectAccessible } from './fixtures';
import { signInApi, allOrders } from './api';

test('a guest finds an order with its number and email, and sees it masked', async ({ page, request }) => {
  await signInApi(request, DEMO.wang);
  const [order] = await allOrders(request);

  await page.goto('/');
  await page.getByRole('link', { name: '免登录查询' }).click();
  await expect(page.getByRole('heading', { name: '查询订单', level: 1 })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('订单号').fill(order.number.toLowerCase());
  await page.getByLabel('邮箱或手机号').fill(DEMO.wang);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${order.number}$`));
  await expect(page.getByTestId('guest-notice')).toBeVisible();
  const address = page.getByTestId('address');
  await expect(address).toContainText('138****1234');
  await expect(address).toContainText('王*');
  await expect(address).toContainText('详细地址已隐藏');
  await expectAccessible(page);
  // A guest has no order list: the way back is the lookup.
  await expect(page.getByRole('link', { name: '全部订单' })).toHaveCount(0);
  await expect(page.locator('.back').getByRole('link', { name: '查询订单' })).toHaveAttribute('href', '/track');

  // The owner signs in from here and comes back to the same order, in full.
  await page.getByRole('link', { name: '登录查看完整信息' }).click();
  await completeSignIn(page, DEMO.wang);
  await expect(page).toHaveURL(new RegExp(`/orders/${order.number}$`));
  await expect(page.getByTestId('guest-notice')).toHaveCount(0);
  await expect(page.getByTestId('address')).not.toContainText('详细地址已隐藏');
  await expect(page.locator('.back').getByRole('link', { name: '全部订单' })).toBeVisible();
});

test('wrong details and an unknown order get the same answer, and the form keeps its input', async ({ page, request }) => {
  await signInApi(request, DEMO.wang);
  const [order] = await allOrders(request);

  await page.goto('/track');
  await page.getByLabel('订单号').fill(order.number);
  await page.getByLabel('邮箱或手机号').fill(DEMO.li);
  await page.getByRole('button', { name: '查询' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('没有找到符合这些信息的订单');
  const wrongContact = await alert.textContent();
  await expect(page.getByLabel('订单号')).toHaveValue(order.number);
  await expect(page.getByLabel('邮箱或手机号')).toHaveValue(DEMO.li);
  await expectAccessible(page);

  await page.getByLabel('订单号').fill('PT99999999');
  await page.getByLabel('邮箱或手机号').fill(DEMO.wang);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('alert')).toHaveText(wrongContact!);

  await page.getByLabel('订单号').fill('12345');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('alert').first()).toHaveText('订单号为 PT 加 8 位数字，例如 PT20261001。');
});
