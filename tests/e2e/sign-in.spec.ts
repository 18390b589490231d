import { test, expect, DEMO, latestCode, signIn, expectAccessible } from './fixtures';

test('a customer signs in with the code from the outbox and sees their orders', async ({ page }) => {
  await page.goto('/');
  await expectAccessible(page);
  await page.getByRole('link', { name: '验证码登录' }).click();
  await expect(page.getByRole('heading', { name: '登录', level: 1 })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('邮箱或手机号').fill(DEMO.li);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByText('验证码已发送至 l***@example.com')).toBeVisible();
  await expectAccessible(page);

  // The demo outbox page shows the message a newcomer needs.
  const outbox = await page.context().newPage();
  await outbox.goto('/dev/outbox');
  await expect(outbox.getByTestId('outbox-message').first()).toContainText(DEMO.li);
  await expectAccessible(outbox);
  await outbox.close();

  const code = await latestCode(page.request, DEMO.li);
  await page.getByLabel('6 位验证码').fill(code);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByRole('heading', { name: '我的订单', level: 1 })).toBeVisible();
  await expect(page.getByText('您好，李娜')).toBeVisible();
  await expect(page.locator('.order-row').first()).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByRole('link', { name: '登录' }).first()).toBeVisible();
  await page.goto('/orders');
  await expect(page.getByText('登录后即可查看您的订单。')).toBeVisible();
});

test('a wrong code is refused and what was typed stays', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('邮箱或手机号').fill('not-an-email');
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('alert')).toHaveText('请输入邮箱地址或 11 位手机号。');
  await expect(page.getByLabel('邮箱或手机号')).toHaveValue('not-an-email');
  await expect(page.getByLabel('邮箱或手机号')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);

  await page.getByLabel('邮箱或手机号').fill(DEMO.chen);
  await page.getByRole('button', { name: '获取验证码' }).click();
  const code = await latestCode(page.request, DEMO.chen);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('6 位验证码').fill(wrong);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('验证码不正确，请核对 6 位数字后重试。');
  await expect(page.getByLabel('6 位验证码')).toHaveValue(wrong);
  await expect(page).toHaveURL(/\/sign-in$/);
  await expectAccessible(page);

  await page.getByLabel('6 位验证码').fill(code);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/orders$/);
});

test('signing in twice in a row works from a fresh page', async ({ page }) => {
  await signIn(page, DEMO.wang);
  await expect(page.getByText('您好，王伟')).toBeVisible();
});
