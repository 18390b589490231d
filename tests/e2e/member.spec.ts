import { test, expect, DEMO, signIn, expectAccessible, goVia, yuan, shopDate, type Translate, type Lang } from './fixtures';
import { signInApi } from './api';
import type { APIRequestContext, Page } from '@playwright/test';

type Tier = { code: string; name: Record<Lang, string>; reach: number; keep: number; benefits: { kind: string }[] };
type Standing = {
  tier: string;
  qualifying_spend: number;
  pending_spend: number;
  next?: { tier: string; needed: number; by: string };
  keep?: { needed: number; by: string; threshold: number; counted: number; pending_in_time: number; pending_after: number };
  next_evaluation: string;
  history: { tier: string; kind: string; at: string }[];
  tiers: Tier[];
};

/** The customer's standing as the service tells it, to hold the page to. */
async function standingOf(request: APIRequestContext, email: string): Promise<Standing> {
  await signInApi(request, email);
  const response = await request.get('/api/loyalty/me');
  expect(response.ok()).toBeTruthy();
  return response.json();
}

/** From any page, the header's "Membership" link. */
async function openMembership(page: Page, t: Translate, email: string) {
  await signIn(page, t, email);
  await goVia(page, t, 'nav.member');
  await expect(page.getByRole('heading', { name: t('member.title'), level: 1 })).toBeVisible();
  await expect(page.getByTestId('tier-card')).toBeVisible();
}

function fill(sentence: string, t: Translate, amount: number, date: string, tier: string) {
  return sentence.replace('[amount]', yuan(amount)).replace('[date]', shopDate(t, date)).replace('[tier]', tier);
}

test('a Gold member whose year is nearly up is told, kindly, what keeps Gold', async ({ page, request, t, lang }) => {
  const li = await standingOf(request, DEMO.li);
  const name = (code: string) => li.tiers.find((tier) => tier.code === code)!.name[lang];
  expect(li.tier).toBe('gold');
  expect(li.keep).toBeTruthy();
  await openMembership(page, t, DEMO.li);

  const card = page.getByTestId('tier-card');
  await expect(card.locator('.tier-name')).toHaveText(name('gold'));
  await expect(card).toContainText(t('member.qualifying').replace('[amount]', yuan(li.qualifying_spend)));
  // What keeps Gold: the threshold by the evaluation, what has counted, what pending counts in
  // time, what is still to count; the pending whose windows close after it is told apart.
  const keep = li.keep!;
  expect(keep.threshold).toBe(li.tiers.find((tier) => tier.code === 'gold')!.keep);
  expect(keep.counted + keep.pending_in_time + keep.needed).toBe(keep.threshold);
  expect(keep.pending_after, 'the demo has pending spend that counts after the evaluation').toBeGreaterThan(0);
  const notice = page.getByTestId('keep-tier');
  await expect(notice.locator('p').first()).toHaveText(fill(t('member.keep'), t, keep.threshold, keep.by, name('gold')));
  const date = (key: string) => t(key).replace('[date]', shopDate(t, keep.by));
  const rows: [string, number][] = [[t('member.keep_counted'), keep.counted]];
  if (keep.pending_in_time > 0) rows.push([date('member.keep_in_time'), keep.pending_in_time]);
  rows.push([date('member.keep_needed'), keep.needed]);
  await expect(notice.locator('dl > div')).toHaveText(rows.map(([label, fen]) => `${label}${yuan(fen)}`));
  await expect(notice.getByTestId('keep-after')).toHaveText(fill(t('member.keep_after'), t, keep.pending_after, keep.by, name('gold')));
  // The pending spend is told there, by its date, not again on the card as if it all counted in time.
  await expect(card.getByTestId('pending')).toHaveCount(0);
  // Her benefits, in words with their figures; Gold marked among all tiers.
  const own = page.getByTestId('own-benefits').getByRole('listitem');
  await expect(own).toHaveCount(li.tiers.find((tier) => tier.code === 'gold')!.benefits.length);
  await expect(own.first()).toHaveText(t('member.benefits.return_window').replace('[days]', '45'));
  await expect(page.getByTestId('own-benefits')).toContainText(t('member.benefits.free_pickup'));
  const tiers = page.getByTestId('tiers').locator(':scope > li');
  await expect(tiers).toHaveCount(li.tiers.length);
  await expect(page.getByTestId('tiers').locator('li[aria-current="true"] h3')).toHaveText(name('gold'));
  await expect(page.getByTestId('history').getByRole('listitem')).toHaveCount(li.history.length);
  await expect(page.getByTestId('history').getByRole('listitem').first()).toContainText(
    t('member.upgraded').replace('[tier]', name('gold')),
  );
  await expectAccessible(page);
});

test('a member close to the next tier sees how much more and by when, and what is still pending', { tag: '@matrix' }, async ({ page, request, t, lang }) => {
  const wang = await standingOf(request, DEMO.wang);
  const name = (code: string) => wang.tiers.find((tier) => tier.code === code)!.name[lang];
  expect(wang.tier).toBe('regular');
  expect(wang.next?.tier).toBe('silver');
  await openMembership(page, t, DEMO.wang);

  await expect(page.getByTestId('next-tier')).toHaveText(fill(t('member.to_next'), t, wang.next!.needed, wang.next!.by, name('silver')));
  const bar = page.getByRole('progressbar', { name: t('member.progress_label').replace('[tier]', name('silver')) });
  const reach = wang.tiers.find((tier) => tier.code === 'silver')!.reach;
  await expect(bar).toHaveAttribute('max', String(reach));
  await expect(bar).toHaveAttribute('value', String(reach - wang.next!.needed));
  if (wang.pending_spend > 0) {
    await expect(page.getByTestId('pending')).toHaveText(t('member.pending').replace('[amount]', yuan(wang.pending_spend)));
  }
  await expect(page.getByTestId('keep-tier')).toHaveCount(0);
  await expectAccessible(page);
});

test('a Diamond member at the top sees every benefit and the way up', async ({ page, request, t, lang }) => {
  const chen = await standingOf(request, DEMO.chen);
  const name = (code: string) => chen.tiers.find((tier) => tier.code === code)!.name[lang];
  expect(chen.tier).toBe('diamond');
  await openMembership(page, t, DEMO.chen);

  await expect(page.getByTestId('next-tier')).toHaveText(t('member.top'));
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByTestId('own-benefits')).toContainText(t('member.benefits.dedicated_advisor'));
  const history = page.getByTestId('history').getByRole('listitem');
  await expect(history).toHaveText([
    new RegExp(t('member.upgraded').replace('[tier]', name('diamond'))),
    new RegExp(t('member.upgraded').replace('[tier]', name('gold'))),
    new RegExp(t('member.upgraded').replace('[tier]', name('silver'))),
    new RegExp(t('member.joined').replace('[tier]', name('regular'))),
  ]);
  await expectAccessible(page);
});
