import { test, expect } from './fixtures';

test('the portal runs under a policy that refuses inline script, and says so', async ({ page, t, cspViolations }) => {
  const answer = await page.goto('/');
  const policy = answer!.headers()['content-security-policy'];
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain('unsafe-inline');
  // The app started (its own start-up script is allowed by its hash).
  await expect(page.getByRole('link', { name: t('home.sign_in_title') })).toBeVisible();

  // Script a page might be tricked into carrying does not run, and the violation is seen.
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return (window as unknown as { injected?: boolean }).injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => cspViolations.length).toBe(1);
  expect(cspViolations[0]).toContain('script-src');
  cspViolations.length = 0;
});
