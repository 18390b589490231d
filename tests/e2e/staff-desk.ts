import type { Page } from '@playwright/test';
import type { Translate } from './fixtures';

// The staff app under /staff/: its own bundle and its own session (a customer's is none here).
export const STAFF = {
  admin: ['admin@portico.test', 'portico-admin-demo'],
  publisher: ['publisher@portico.test', 'portico-publisher-demo'],
  editor: ['editor@portico.test', 'portico-editor-demo'],
} as const;

/** `text` with its one `[placeholder]` filled, as the app fills it. */
export const fill = (text: string, value: string) => text.replace(/\[[a-z]+\]/, value);

/** Signs in to the staff app on its sign-in form. */
export async function staffSignIn(page: Page, s: Translate, [email, password]: readonly [string, string]) {
  await page.getByLabel(s('sign_in.email')).fill(email);
  await page.getByLabel(s('sign_in.password'), { exact: true }).fill(password);
  await page.getByRole('button', { name: s('sign_in.submit') }).click();
}

/** The staff app's nav: the screens the role may open, each a link (the one shown is aria-current). */
export const staffNav = (page: Page, s: Translate) => page.getByRole('navigation', { name: s('nav.label') });

/** Opens a screen from the nav by its title's key (`accounts.title`) and waits for its heading. */
export async function goToScreen(page: Page, s: Translate, title: string) {
  await staffNav(page, s).getByRole('link', { name: s(title), exact: true }).click();
  await page.getByRole('heading', { name: s(title), exact: true, level: 2 }).waitFor();
}
