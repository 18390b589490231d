import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const DEMO = {
  wang: 'wang.wei@example.com',
  li: 'li.na@example.com',
  chen: 'chen.jie@example.com',
};

/** The newest sign-in code the demo outbox holds for this address. */
export async function latestCode(request: APIRequestContext, to: string): Promise<string> {
  const response = await request.get('/api/dev/outbox');
  expect(response.ok()).toBeTruthy();
  const messages: { to: string; body: string }[] = await response.json();
  const message = messages.find((m) => m.to === to);
  expect(message, `a message to ${to}`).toBeTruthy();
  const code = message!.body.match(/\b(\d{6})\b/);
  expect(code, 'a 6-digit code in the message').toBeTruthy();
  return code![1];
}

/** Signs a browser page in through the real form and the outbox. */
export async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await completeSignIn(page, email);
  await expect(page).toHaveURL(/\/orders$/);
}

/** Fills and sends the sign-in form the page shows now, with the code from the outbox. */
export async function completeSignIn(page: Page, email: string) {
  await page.getByLabel('邮箱或手机号').fill(email);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByText('验证码已发送至')).toBeVisible();
  const code = await latestCode(page.request, email);
  await page.getByLabel('6 位验证码').fill(code);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** Zero axe-core violations (WCAG 2.1 A/AA) on what the page shows now. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary).toEqual([]);
}

export const test = base;
export { expect };
