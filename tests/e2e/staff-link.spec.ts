import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect, expectAccessible } from './fixtures';
import { staffSignIn as signIn } from './staff-desk';

/** `portico-server ARGS` on the server's own database, as a retailer runs it on its machine. */
function portico(args: string[], origin: string): string {
  return execFileSync(join(__dirname, '..', '..', 'target/debug/portico-server'), args, {
    env: { PORTICO_DATA_DIR: process.env.PORTICO_E2E_DATA_DIR!, PORTICO_PUBLIC_URL: origin },
    encoding: 'utf8',
  });
}

test('a staff member made on the command line sets a password with the one-time link, then signs in', async ({ page, s, baseURL }) => {
  // An editor: another admin would change what the staff journeys find ("the only admin").
  const email = `new.editor.link.${test.info().project.name}@shop.example`;
  const printed = portico(['staff', 'add', '--email', email, '--role', 'editor', '--name', 'Lin Qing 林青'], baseURL!);
  const link = printed.split('\n').find((line) => line.includes('#set-password='))!;
  expect(link).toContain(`${baseURL}/staff/#set-password=`);

  await page.goto(link);
  await expect(page.getByRole('heading', { name: s('set_password.title'), level: 1 })).toBeVisible();
  await expectAccessible(page);
  // Two different passwords: said, and what was typed stays.
  await page.getByLabel(s('set_password.password'), { exact: true }).fill('a long and fine password');
  await page.getByLabel(s('set_password.again')).fill('a long and fine passwort');
  await page.getByRole('button', { name: s('set_password.submit') }).click();
  await expect(page.getByRole('alert')).toHaveText(s('set_password.differ'));
  await expect(page.getByLabel(s('set_password.password'), { exact: true })).toHaveValue('a long and fine password');
  // Too short: the service says so, and the link still works.
  await page.getByLabel(s('set_password.password'), { exact: true }).fill('short');
  await page.getByLabel(s('set_password.again')).fill('short');
  await page.getByRole('button', { name: s('set_password.submit') }).click();
  await expect(page.getByRole('alert')).toHaveText(s('errors.weak_password'));
  await page.getByLabel(s('set_password.password'), { exact: true }).fill('a long and fine password');
  await page.getByLabel(s('set_password.again')).fill('a long and fine password');
  await page.getByRole('button', { name: s('set_password.submit') }).click();

  // Then the sign-in, the email filled in; the token is gone from the address.
  await expect(page.getByRole('heading', { name: s('sign_in.title'), level: 1 })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(s('set_password.done'));
  await expect(page.getByLabel(s('sign_in.email'))).toHaveValue(email);
  expect(page.url()).not.toContain('set-password');
  await expectAccessible(page);
  await signIn(page, s, [email, 'a long and fine password']);
  await expect(page.getByRole('heading', { name: s('pages.title') })).toBeVisible();

  // The link worked once: opened again, it says so and what to do.
  await page.goto(link);
  await page.getByLabel(s('set_password.password'), { exact: true }).fill('another fine password');
  await page.getByLabel(s('set_password.again')).fill('another fine password');
  await page.getByRole('button', { name: s('set_password.submit') }).click();
  await expect(page.getByRole('alert')).toHaveText(s('set_password.expired'));
  await expectAccessible(page);
});
