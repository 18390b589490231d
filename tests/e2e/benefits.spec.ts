import { test, expect, DEMO, signIn, expectAccessible, goVia, type Lang } from './fixtures';
import { signInApi } from './api';
import type { APIRequestContext, Page } from '@playwright/test';

type Block = { kind: string; [field: string]: unknown };
type BenefitPage = { slug: string; title: string; blocks: Block[]; audience: { kind: string; tier?: string } };
const KINDS = ['hero', 'rich_text', 'benefit_grid', 'tier_comparison', 'faq', 'call_to_action'];

async function pageOf(request: APIRequestContext, slug: string, lang: Lang): Promise<BenefitPage> {
  const response = await request.get(`/api/pages/${slug}?locale=${lang}`);
  expect(response.ok()).toBeTruthy();
  return response.json();
}

/** The page as drawn holds each block the service sent, in order, with its words. */
async function expectDrawn(page: Page, served: BenefitPage) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(served.title);
  const drawn = page.locator('[data-block]');
  await expect(drawn).toHaveCount(served.blocks.length);
  for (const [i, block] of served.blocks.entries()) {
    const here = drawn.nth(i);
    await expect(here).toHaveAttribute('data-block', block.kind);
    switch (block.kind) {
      case 'hero':
        await expect(here.locator('.banner-title')).toHaveText(block.title as string);
        break;
      case 'benefit_grid':
        await expect(here.locator('h3')).toHaveText((block.items as { title: string }[]).map((c) => c.title));
        break;
      case 'tier_comparison':
        await expect(here.locator('.tier-grid > li')).toHaveCount((block.tiers as unknown[]).length);
        break;
      case 'faq': {
        const items = block.items as { question: string }[];
        await expect(here.locator('summary')).toHaveText(items.map((q) => q.question));
        // An answer opens under its question.
        await here.locator('summary').first().click();
        await expect(here.locator('details').first()).toHaveAttribute('open', '');
        break;
      }
      case 'call_to_action':
        await expect(here.getByRole('link')).toHaveText(block.label as string);
        await expect(here.getByRole('link')).toHaveAttribute('href', block.href as string);
        break;
      default:
        await expect(here).not.toBeEmpty();
    }
  }
}

test('a member reads the pages prepared for their tier and for everyone, every kind of block drawn', { tag: '@matrix' }, async ({ page, request, t, lang }) => {
  await signInApi(request, DEMO.li);
  const listed: { slug: string; title: string }[] = await (await request.get(`/api/pages?locale=${lang}`)).json();
  expect(listed.map((p) => p.slug)).toEqual(['gold-benefits', 'member-week']);
  await signIn(page, t, DEMO.li);
  await goVia(page, t, 'nav.benefits');
  await expect(page.getByRole('heading', { name: t('benefits.title'), level: 1 })).toBeVisible();
  const items = page.getByTestId('benefit-pages').getByRole('listitem');
  await expect(items).toHaveCount(2);
  await expect(items.first()).toContainText(t('benefits.for_you'));
  await expectAccessible(page);

  const kinds = new Set<string>();
  for (const summary of listed) {
    await page.goto('/benefits');
    await page.getByRole('link', { name: summary.title }).click();
    const served = await pageOf(request, summary.slug, lang);
    await expectDrawn(page, served);
    served.blocks.forEach((b) => kinds.add(b.kind));
    // Her tier is marked in a comparison.
    if (served.blocks.some((b) => b.kind === 'tier_comparison')) {
      await expect(page.locator('.tier-grid li[aria-current="true"]')).toHaveCount(summary.slug === 'gold-benefits' ? 1 : 0);
    }
    await expectAccessible(page);
  }
  expect([...kinds].sort()).toEqual([...KINDS].sort());
});

test('a page for one tier is for its members only', async ({ page, request, t }) => {
  // Wang (Regular) is not offered Gold's page, and opening it says it is not available.
  await signInApi(request, DEMO.wang);
  const his: { slug: string }[] = await (await request.get('/api/pages?locale=en')).json();
  expect(his.map((p) => p.slug)).toEqual(['regular-benefits', 'member-week']);
  await signIn(page, t, DEMO.wang);
  await page.goto('/benefits/gold-benefits');
  await expect(page.getByRole('alert')).toHaveText(t('benefits.not_found'));
  await expectAccessible(page);
  // The member page leads to the pages he may read.
  await page.goto('/member');
  await page.getByRole('link', { name: t('member.see_benefits') }).click();
  await expect(page.getByTestId('benefit-pages').getByRole('link')).toHaveCount(2);

  // Nobody signed in: the pages for everyone only.
  await page.context().clearCookies();
  await page.goto('/benefits');
  await expect(page.getByTestId('benefit-pages').getByRole('link')).toHaveCount(1);
  await page.goto('/benefits/gold-benefits');
  await expect(page.getByRole('alert')).toHaveText(t('benefits.not_found'));
});
