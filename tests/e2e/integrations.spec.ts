import { createHmac } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { test, expect, expectAccessible } from './fixtures';
import { STAFF, fill, staffSignIn } from './staff-desk';

// Integration keys in the staff app (admins): a key made for an integration, its id and secret
// shown once, a request signed with it taken; a new secret, after which the old one is refused;
// revoked, after which nothing it signs is taken.

/** POSTs one customer to the ingest API, signed with `keyId` and `secret`; the status. */
async function ingestCustomer(request: APIRequestContext, keyId: string, secret: string, id: string) {
  const path = '/api/ingest/customers';
  const n = Math.floor(Math.random() * 1e8);
  const body = JSON.stringify({
    records: [{ id, updated_at: new Date().toISOString(), name: '赵敏', email: `${id.toLowerCase()}@example.com`, phone: `135${String(n).padStart(8, '0')}` }],
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`POST\n${path}\n${timestamp}\n${body}`).digest('hex');
  const answer = await request.post(path, {
    data: body,
    headers: { 'content-type': 'application/json', 'x-portico-key': keyId, 'x-portico-timestamp': timestamp, 'x-portico-signature': signature },
  });
  return answer.status();
}

test('an admin makes an integration key, sees its secret once, gives it a new secret and revokes it', async ({ page, s }) => {
  // A key of its own per project: the projects share one server.
  const project = test.info().project.name;
  const name = `ERP ${project}`;

  // Opened at its address: after signing in, the integrations are where the admin lands.
  await page.goto('/staff/integrations');
  await staffSignIn(page, s, STAFF.admin);
  await expect(page.getByRole('heading', { name: s('integrations.title'), exact: true })).toBeVisible();

  const form = page.getByRole('region', { name: s('integrations.add_title') });
  // No name: said at the field, nothing sent.
  await form.getByRole('button', { name: s('integrations.add') }).click();
  await expect(form.getByText(s('errors.name_needed'))).toBeVisible();
  await form.getByLabel(s('integrations.name')).fill(name);
  await form.getByRole('button', { name: s('integrations.add') }).click();
  await expect(form.getByRole('status')).toHaveText(fill(s('integrations.added'), name));
  const keyId = (await form.getByTestId('new-integration-key').textContent()) ?? '';
  expect(keyId).toMatch(/^ik_[a-z0-9]{24}$/);
  const shown = form.getByTestId('integration-secret');
  await expect(shown).toContainText(s('integrations.secret_note'));
  const secret = (await shown.locator('.mono').textContent()) ?? '';
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  await expectAccessible(page);

  // The key signs: a customer sent with it is taken.
  expect(await ingestCustomer(page.request, keyId, secret, `E2E-${project}-1`)).toBe(200);

  // A second key of the same integration is refused, said in words.
  await form.getByLabel(s('integrations.name')).fill(name);
  await form.getByRole('button', { name: s('integrations.add') }).click();
  await expect(form.getByRole('alert')).toHaveText(s('errors.integration_exists'));

  // Listed with its id; the secret is not shown again.
  const panel = page.getByTestId('integration').filter({ hasText: keyId });
  await page.reload();
  await expect(panel).toContainText(s('integrations.live'));
  await expect(page.getByTestId('integration-secret')).toHaveCount(0);

  // A new secret, confirmed first: shown once, and the old one no longer signs.
  await panel.getByRole('button', { name: s('integrations.rotate') }).click();
  await expect(panel.getByText(s('integrations.rotate_warning'))).toBeVisible();
  await panel.getByRole('button', { name: s('integrations.rotate_confirm') }).click();
  const fresh = (await panel.getByTestId('integration-secret').locator('.mono').textContent()) ?? '';
  expect(fresh).toMatch(/^[0-9a-f]{64}$/);
  expect(fresh).not.toBe(secret);
  await expectAccessible(page);
  expect(await ingestCustomer(page.request, keyId, secret, `E2E-${project}-2`)).toBe(401);
  expect(await ingestCustomer(page.request, keyId, fresh, `E2E-${project}-3`)).toBe(200);

  // Revoked, confirmed first: listed as revoked, with no buttons, and it signs nothing.
  await panel.getByRole('button', { name: s('integrations.revoke') }).click();
  await panel.getByRole('button', { name: s('integrations.revoke_confirm') }).click();
  await expect(panel.locator('h3')).toContainText(s('integrations.revoked'));
  await expect(panel.getByRole('button')).toHaveCount(0);
  expect(await ingestCustomer(page.request, keyId, fresh, `E2E-${project}-4`)).toBe(401);
  await expectAccessible(page);
});
