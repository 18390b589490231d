import { test, expect, expectAccessible } from './fixtures';
import { STAFF, fill, goToScreen, staffSignIn } from './staff-desk';

// Partners in the staff app (admins): a partner added with its page origin, its key and secret
// shown once, its widget answering that origin at once, then disabled.

test('an admin adds a partner, sees its key and secret once, and disables it', async ({ page, s }) => {
  // A partner of its own per project: the projects share one server.
  const project = test.info().project.name;
  const name = `Blue Shop ${project}`;
  const origin = `https://${project}.partner.example`;

  await page.goto('/staff/');
  await staffSignIn(page, s, STAFF.admin);
  await goToScreen(page, s, 'partners.title');
  // The demo partner is listed with its key and the one tag to embed, as text.
  const demo = page.getByTestId('partner').filter({ hasText: 'pk_demo_partner_0001' });
  await expect(demo.locator('pre')).toContainText('data-partner="pk_demo_partner_0001"');
  await expect(demo.locator('pre')).toContainText(`${new URL(page.url()).origin}/widget.js`);
  await expectAccessible(page);

  const form = page.getByRole('region', { name: s('partners.add_title') });
  await form.getByLabel(s('partners.name')).fill(name);
  await form.getByLabel(s('partners.origins')).fill(`${origin}/shop`);
  await form.getByRole('checkbox', { name: s('partners.feature_survey') }).uncheck();
  await form.getByRole('button', { name: s('partners.add') }).click();
  // A page address is not an origin: said at the field, and what was typed stays.
  await expect(form.getByRole('alert')).toHaveText(s('errors.invalid_origin'));
  await expect(form.getByLabel(s('partners.name'))).toHaveValue(name);
  await expect(form.getByLabel(s('partners.origins'))).toHaveValue(`${origin}/shop`);
  await expectAccessible(page);

  await form.getByLabel(s('partners.origins')).fill(origin.toUpperCase().replace('HTTPS', 'https'));
  await form.getByRole('button', { name: s('partners.add') }).click();
  await expect(form.getByRole('status')).toHaveText(fill(s('partners.added'), name));
  const key = (await form.getByTestId('new-partner-key').textContent()) ?? '';
  expect(key).toMatch(/^pk_[a-z0-9]{24}$/);
  const secret = form.getByTestId('partner-secret');
  await expect(secret).toContainText(s('partners.secret_note'));
  await expect(secret.locator('.mono')).toHaveText(/^[0-9a-f]{64}$/);
  await expectAccessible(page);

  // The new partner's widget answers its page's origin at once, and no other.
  const settings = await page.request.get(`/api/widget/${key}`, { headers: { Origin: origin } });
  expect(settings.status()).toBe(200);
  expect((await settings.json()).partner).toBe(name);
  const elsewhere = await page.request.get(`/api/widget/${key}`, { headers: { Origin: 'https://other.example' } });
  expect(elsewhere.status()).toBe(403);

  // Its panel: the key, the origin as browsers send it, active; the secret is not shown again.
  const panel = page.getByTestId('partner').filter({ hasText: key });
  await expect(panel).toContainText(origin);
  await expect(panel).toContainText(s('partners.enabled'));
  await page.reload();
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('partner-secret')).toHaveCount(0);

  // Disabled: said in its panel, listed as disabled, and its widget no longer answers.
  await panel.getByRole('button', { name: s('partners.disable') }).click();
  await expect(panel.getByRole('status')).toHaveText(fill(s('partners.now_disabled'), name));
  await expect(panel.locator('h3')).toContainText(s('partners.disabled'));
  await page.reload();
  await expect(panel.locator('h3')).toContainText(s('partners.disabled'));
  await expect(panel.getByRole('button', { name: s('partners.enable') })).toBeVisible();
  const gone = await page.request.get(`/api/widget/${key}`, { headers: { Origin: origin } });
  expect(gone.status()).toBe(404);
  // The audit log names what was done.
  await goToScreen(page, s, 'audit.title');
  await expect(page.getByTestId('audit-entry').filter({ hasText: key }).first()).toContainText(s('audit.partner_changed'));
  await expectAccessible(page);
});
