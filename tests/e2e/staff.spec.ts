import { test, expect, DEMO, expectAccessible } from './fixtures';
import { signInApi } from './api';
import { STAFF, fill, goToScreen, staffNav, staffSignIn as signIn } from './staff-desk';

test('a wrong password is refused with what was typed kept, and a customer session opens nothing', async ({ page, s }) => {
  // Signed in to the portal as a customer: the staff app still asks for a staff sign-in.
  await signInApi(page.request, DEMO.li);
  await page.goto('/staff/');
  await expect(page.getByRole('heading', { name: s('sign_in.title'), level: 1 })).toBeVisible();
  await expectAccessible(page);

  await signIn(page, s, [STAFF.admin[0], 'not-the-password']);
  await expect(page.getByRole('alert')).toHaveText(s('sign_in.wrong'));
  await expect(page.getByLabel(s('sign_in.email'))).toHaveValue(STAFF.admin[0]);
  await expectAccessible(page);
  // Nothing typed: said before anything is sent.
  await page.getByLabel(s('sign_in.email')).fill('');
  await page.getByRole('button', { name: s('sign_in.submit') }).click();
  await expect(page.getByRole('alert')).toHaveText(s('sign_in.need_both'));
});

test('an admin adds an editor, who signs in to a page without the admin parts', async ({ page, browser, s, lang }) => {
  await page.goto('/staff/');
  await signIn(page, s, STAFF.admin);
  // An admin's nav: every screen.
  const nav = staffNav(page, s);
  for (const title of ['pages.title', 'reviews.title', 'accounts.title', 'partners.title', 'integrations.title', 'messages.title', 'audit.title']) {
    await expect(nav.getByRole('link', { name: s(title), exact: true })).toBeVisible();
  }
  await goToScreen(page, s, 'accounts.title');
  await expect(nav.getByRole('link', { name: s('accounts.title'), exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page).toHaveURL(/\/staff\/accounts$/);
  await expectAccessible(page);

  // A new editor, with a unique email per project (the projects share one server).
  const email = `new.editor.${lang.toLowerCase()}.${test.info().project.name}@portico.test`;
  const form = page.getByRole('region', { name: s('accounts.add_title') });
  await form.getByLabel(s('accounts.name')).fill('Wu Fang 吴芳');
  await form.getByLabel(s('accounts.email')).fill(email);
  await form.getByLabel(s('accounts.password'), { exact: true }).fill('short');
  await form.getByRole('button', { name: s('accounts.add') }).click();
  // Too short: said at the password, and the rest stays.
  await expect(form.getByRole('alert')).toHaveText(s('errors.weak_password'));
  await expect(form.getByLabel(s('accounts.email'))).toHaveValue(email);
  await form.getByLabel(s('accounts.password'), { exact: true }).fill('a-long-enough-password');
  await form.getByRole('button', { name: s('accounts.add') }).click();
  await expect(form.getByRole('status')).toHaveText(fill(s('accounts.added'), email));
  const row = page.getByTestId('staff-row').filter({ hasText: email });
  await expect(row).toBeVisible();
  // The audit log says who added whom; Back returns to the accounts.
  await goToScreen(page, s, 'audit.title');
  await expect(page.getByTestId('audit-entry').filter({ hasText: email }).first()).toContainText(s('audit.staff_added'));
  await expectAccessible(page);
  await page.goBack();
  await expect(page).toHaveURL(/\/staff\/accounts$/);
  await expect(row).toBeVisible();

  // The editor signs in elsewhere: no accounts, no audit log.
  const other = await browser.newContext({ locale: lang === 'en' ? 'en-US' : 'zh-CN' });
  const editor = await other.newPage();
  await editor.goto(new URL('/staff/', page.url()).href);
  await signIn(editor, s, [email, 'a-long-enough-password']);
  await expect(editor.getByRole('heading', { name: s('pages.title') })).toBeVisible();
  await expect(staffNav(editor, s).getByRole('link')).toHaveText([s('pages.title')]);
  await expectAccessible(editor);
  // The accounts' address, typed: not for an editor, said so, with the way to their home.
  await editor.goto(new URL('/staff/accounts', page.url()).href);
  await expect(editor.getByRole('alert')).toContainText(s('nav.not_for_role'));
  await expect(editor.getByRole('heading', { name: s('accounts.title') })).toHaveCount(0);
  await expectAccessible(editor);
  await editor.getByRole('link', { name: s('nav.to_home') }).click();
  await expect(editor.getByRole('heading', { name: s('pages.title') })).toBeVisible();
  await expect(editor).toHaveURL(/\/staff\/pages$/);

  // Disabled by the admin, the editor's session ends: their next sign-in is refused.
  await row.getByRole('button', { name: s('accounts.disable') }).click();
  await expect(row).toContainText(s('accounts.disabled'));
  await editor.reload();
  await expect(editor.getByRole('heading', { name: s('sign_in.title'), level: 1 })).toBeVisible();
  await signIn(editor, s, [email, 'a-long-enough-password']);
  await expect(editor.getByRole('alert')).toHaveText(s('sign_in.wrong'));
  await other.close();
});

test('the only admin cannot step down, and is told why', async ({ page, s }) => {
  await page.goto('/staff/accounts');
  await signIn(page, s, STAFF.admin);
  const me = page.getByTestId('staff-row').filter({ hasText: STAFF.admin[0] });
  await me.getByRole('combobox').selectOption('editor');
  await expect(me.getByRole('alert')).toHaveText(s('errors.last_admin'));
  await expectAccessible(page);
});

test('a publisher reads the audit log, not the accounts; signing out ends the session', async ({ page, s }) => {
  await page.goto('/staff/');
  await signIn(page, s, STAFF.publisher);
  await expect(staffNav(page, s).getByRole('link')).toHaveText([s('pages.title'), s('reviews.title'), s('audit.title')]);
  await goToScreen(page, s, 'audit.title');
  await expect(page.getByTestId('audit-entry').first()).toContainText(STAFF.publisher[0]);
  await page.getByRole('button', { name: s('home.sign_out'), exact: true }).click();
  await expect(page.getByRole('heading', { name: s('sign_in.title'), level: 1 })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: s('sign_in.title'), level: 1 })).toBeVisible();
});
