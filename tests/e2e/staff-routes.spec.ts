import { test, expect, expectAccessible } from './fixtures';
import { STAFF, goToScreen, staffNav, staffSignIn } from './staff-desk';

// The staff app's addresses (/staff/...): a link opened in a fresh browser opens, after signing
// in, at the place asked for; Back returns to the previous screen inside the app; a reload keeps
// the place; a lost session asks to sign in again where it was lost.

const signInHeading = (s: (key: string) => string) => ({ name: s('sign_in.title'), level: 1 as const });

test('a page opened at its address: sign in, land in its editor; Back returns to it from the list, and a reload keeps it', async ({ page, s }) => {
  await page.goto('/staff/pages/gold-benefits');
  await expect(page.getByRole('heading', signInHeading(s))).toBeVisible();
  await staffSignIn(page, s, STAFF.editor);

  // The demo's Gold page, in the editor: its audience, its save line, the nav marking the pages.
  const audience = page.getByLabel(s('pages.audience'), { exact: true });
  await expect(audience).toHaveValue('gold');
  await expect(page.getByTestId('save-state')).toHaveText(s('editor.saved'));
  await expect(page).toHaveURL(/\/staff\/pages\/gold-benefits$/);
  await expect(staffNav(page, s).getByRole('link', { name: s('pages.title'), exact: true })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page);

  // To the list, then Back: the editor again, on the same page.
  await page.getByRole('link', { name: s('editor.back') }).click();
  await expect(page.getByRole('heading', { name: s('pages.title'), level: 2 })).toBeVisible();
  await expect(page).toHaveURL(/\/staff\/pages$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/staff\/pages\/gold-benefits$/);
  await expect(audience).toHaveValue('gold');

  await page.reload();
  await expect(audience).toHaveValue('gold');
  await expect(page.getByRole('heading', signInHeading(s))).toHaveCount(0);
});

test('the returns opened at their address: sign in, land there; Back, reload, home and a lost session keep to the app', async ({ page, s }) => {
  await page.goto('/staff/returns');
  await expect(page.getByRole('heading', signInHeading(s))).toBeVisible();
  await staffSignIn(page, s, STAFF.publisher);
  const returns = page.getByRole('heading', { name: s('reviews.title'), level: 2 });
  await expect(returns).toBeVisible();
  await expect(page).toHaveURL(/\/staff\/returns$/);
  await expect(staffNav(page, s).getByRole('link', { name: s('reviews.title'), exact: true })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page);

  // Another screen, then Back: the returns again. A reload stays there.
  await goToScreen(page, s, 'audit.title');
  await expect(page).toHaveURL(/\/staff\/audit$/);
  await expect(page.getByTestId('audit-entry').first()).toBeVisible();
  await page.goBack();
  await expect(returns).toBeVisible();
  await expect(page).toHaveURL(/\/staff\/returns$/);
  await page.reload();
  await expect(returns).toBeVisible();

  // /staff/ is the role's first screen, in its place: Back skips it.
  await page.goto('/staff/');
  await expect(page).toHaveURL(/\/staff\/pages$/);
  await expect(page.getByRole('heading', { name: s('pages.title'), level: 2 })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/staff\/returns$/);
  await expect(returns).toBeVisible();

  // An address that is no screen says so, with the way home.
  await page.goto('/staff/nowhere');
  await expect(page.getByRole('alert')).toContainText(s('nav.not_found'));
  await expectAccessible(page);
  await page.getByRole('link', { name: s('nav.to_home') }).click();
  await expect(page).toHaveURL(/\/staff\/pages$/);

  // The session lost (its cookie gone): the next screen asks to sign in, and signing in lands there.
  await page.context().clearCookies();
  await staffNav(page, s).getByRole('link', { name: s('reviews.title'), exact: true }).click();
  await expect(page.getByRole('heading', signInHeading(s))).toBeVisible();
  await expect(page).toHaveURL(/\/staff\/returns$/);
  await staffSignIn(page, s, STAFF.publisher);
  await expect(returns).toBeVisible();
  await expect(page).toHaveURL(/\/staff\/returns$/);
});
