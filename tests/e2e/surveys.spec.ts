import { test, expect, DEMO, expectAccessible, goVia, newestMessage, signIn, type Lang, type Translate } from './fixtures';
import { cancelReturns, orderToReturn, signInApi } from './api';
import type { APIRequestContext, BrowserContext, Page } from '@playwright/test';

type Localized = Record<Lang, string>;
type Question = { id: string; prompt: Localized; answer: { kind: string; options?: { id: string; label: Localized }[] }; required: boolean };
type Invitation = {
  survey: { questions: Question[] };
  about: { touchpoint: string; reference: string; items: string[] };
  response?: {
    response_id: string;
    answers: { question: string; value: { score?: number; choices?: string[]; text?: string } }[];
    finished_at?: string;
    follow_up: boolean;
  };
};

/** A fresh invitation for `email` after a `touchpoint` (the demo sends one now), and the message
 * the outbox holds for it: the link the customer taps is read from there. */
async function invite(request: APIRequestContext, email: string, touchpoint: 'delivery' | 'return' | 'support') {
  const after = await newestMessage(request);
  const made = await request.post('/api/dev/survey-invitations', { data: { email, touchpoint } });
  expect(made.status()).toBe(201);
  const { token } = (await made.json()) as { token: string };
  let body = '';
  await expect
    .poll(async () => {
      const messages: { id: number; to: string; body: string }[] = await (await request.get('/api/dev/outbox')).json();
      body = messages.find((m) => m.id > after && m.to === email && m.body.includes(token))?.body ?? '';
      return body;
    }, { message: `the survey message for ${email}` })
    .toBeTruthy();
  return { token, body };
}

/** The survey link in a message (with `?score=N`: the one-tap link for that score). */
function link(body: string, token: string, score?: number) {
  const wanted = score === undefined ? `/s/${token}` : `/s/${token}?score=${score}`;
  const found = body.match(/(https?:\/\/[^\s]*)?\/s\/[A-Za-z0-9._~-]+(\?score=\d+)?/g) ?? [];
  const path = found.map((l) => l.replace(/^https?:\/\/[^/]+/, '')).find((l) => l === wanted);
  expect(path, `${wanted} in the message`).toBeTruthy();
  return path!;
}

async function invitation(request: APIRequestContext, token: string): Promise<Invitation> {
  const response = await request.get(`/api/surveys/${token}`);
  expect(response.status()).toBe(200);
  return response.json();
}

/** A question's fieldset (or text field), found by the words the customer reads. */
function question(page: Page, q: Question, lang: Lang) {
  return page.getByRole('group', { name: q.prompt[lang] });
}

async function choose(page: Page, q: Question, lang: Lang, name: string) {
  await question(page, q, lang).getByRole(q.answer.kind === 'multiple' ? 'checkbox' : 'radio', { name, exact: true }).check();
}

test('a delivery survey from its message: a low score asks why, a detractor hears who will call', async ({ page, request, t, lang }) => {
  const { token, body } = await invite(request, DEMO.wang, 'delivery');
  const asked = await invitation(request, token);
  const [score, reasons, comment] = asked.survey.questions;
  await page.goto(link(body, token));
  await expect(page.getByRole('heading', { level: 1, name: t('survey.title_delivery') })).toBeVisible();
  await expect(page.locator('.lead')).toContainText(asked.about.reference);
  // Reasons are asked only for a score of 3 or less.
  await expect(question(page, reasons, lang)).toHaveCount(0);
  await choose(page, score, lang, '2');
  await expect(question(page, reasons, lang)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: t('survey.saved') })).toBeVisible();
  await page.getByRole('button', { name: t('survey.finish') }).click();
  await expect(page.getByRole('alert').filter({ hasText: t('survey.required') })).toBeVisible();
  await choose(page, reasons, lang, reasons.answer.options![0].label[lang]);
  const words = '<script>alert("x")</script> 快递员很辛苦，但包装破了';
  await page.getByLabel(comment.prompt[lang]).fill(words);
  await expectAccessible(page);
  await page.getByRole('button', { name: t('survey.finish') }).click();
  await expect(page.getByRole('heading', { name: t('survey.thanks_title') })).toBeVisible();
  await expect(page.getByText(t('survey.follow_up'))).toBeVisible();
  await expectAccessible(page);

  await expect.poll(async () => (await invitation(request, token)).response?.finished_at ?? null).toBeTruthy();
  const stored = (await invitation(request, token)).response!;
  expect(stored.finished_at).toBeTruthy();
  expect(stored.follow_up).toBe(true);
  expect(stored.answers).toEqual(
    expect.arrayContaining([
      { question: score.id, value: { score: 2 } },
      { question: reasons.id, value: { choices: [reasons.answer.options![0].id] } },
      { question: comment.id, value: { text: words } },
    ]),
  );
});

test('the one-tap link in a return survey records the score as the page opens', async ({ page, request, t, lang }) => {
  // A return of Li's to ask about (cancelled again once the survey is sent: the survey stays).
  await signInApi(request, DEMO.li);
  const { number, item } = await orderToReturn(request);
  const started = await request.post('/api/returns', {
    headers: { 'Idempotency-Key': `survey-${Date.now()}` },
    data: { order: number, lines: [{ line: item.line, quantity: 1 }], reason: 'other', resolution: 'refund', handover: 'self_ship' },
  });
  expect(started.status()).toBe(201);
  const { token, body } = await invite(request, DEMO.li, 'return');
  await cancelReturns(request, number);
  const asked = await invitation(request, token);
  await page.goto(link(body, token, 6));
  await expect(page.getByRole('heading', { level: 1, name: t('survey.title_return') })).toBeVisible();
  await expect(question(page, asked.survey.questions[0], lang).getByRole('radio', { name: '6', exact: true })).toBeChecked();
  await expect(page.getByRole('status').filter({ hasText: t('survey.saved') })).toBeVisible();
  // The address no longer carries the score: reloading never undoes a later change.
  await expect(page).toHaveURL(new RegExp(`/s/${token.replace(/\./g, '\\.')}$`));
  const saved = (await invitation(request, token)).response!;
  expect(saved.answers).toEqual([{ question: asked.survey.questions[0].id, value: { score: 6 } }]);
  expect(saved.finished_at).toBeUndefined();
  await expectAccessible(page);
});

test('a support survey (NPS) can be changed after it was sent, within the day', async ({ page, request, t, lang }) => {
  const { token, body } = await invite(request, DEMO.chen, 'support');
  const asked = await invitation(request, token);
  const nps = asked.survey.questions[0];
  expect(nps.answer.kind).toBe('nps');
  await page.goto(link(body, token));
  await expect(page.getByRole('heading', { level: 1, name: t('survey.title_support') })).toBeVisible();
  await expect(question(page, nps, lang).getByRole('radio')).toHaveCount(11);
  await choose(page, nps, lang, '9');
  await page.getByRole('button', { name: t('survey.finish') }).click();
  await expect(page.getByRole('heading', { name: t('survey.thanks_title') })).toBeVisible();
  await expect(page.getByText(t('survey.follow_up'))).toHaveCount(0);
  // The thanks appear as the finishing save goes out: read the response once it has landed.
  await expect.poll(async () => (await invitation(request, token)).response?.finished_at ?? null).toBeTruthy();
  const first = (await invitation(request, token)).response!;

  await page.getByRole('button', { name: t('survey.edit') }).click();
  await choose(page, nps, lang, '10');
  await page.getByRole('button', { name: t('survey.finish') }).click();
  await expect(page.getByRole('heading', { name: t('survey.thanks_title') })).toBeVisible();
  await expect.poll(async () => (await invitation(request, token)).response!.answers[0].value.score).toBe(10);
  const changed = (await invitation(request, token)).response!;
  expect(changed.finished_at).toBe(first.finished_at);
  expect(changed.response_id).toBe(first.response_id);
});

test('answers given offline are kept, survive closing the tab, and arrive once', async ({ page, context, request, t, lang }) => {
  const { token, body } = await invite(request, DEMO.wang, 'delivery');
  const asked = await invitation(request, token);
  const [score, , comment] = asked.survey.questions;
  await page.goto(link(body, token));
  await expect(question(page, score, lang)).toBeVisible();
  await context.setOffline(true);
  await choose(page, score, lang, '5');
  await expect(page.getByRole('status').filter({ hasText: t('survey.kept_offline') })).toBeVisible();
  await page.getByLabel(comment.prompt[lang]).fill('offline 写的评价');
  await page.getByRole('button', { name: t('survey.finish') }).click();
  await expect(page.getByRole('heading', { name: t('survey.thanks_title') })).toBeFocused();
  await expect(page.getByText(t('survey.kept_offline'))).toBeVisible();
  expect((await invitation(request, token)).response).toBeUndefined();
  await page.close();

  await context.setOffline(false);
  const again = await context.newPage();
  await again.goto('/');
  await expect
    .poll(async () => (await invitation(request, token)).response?.finished_at ?? null, { message: 'the kept answers arrive' })
    .toBeTruthy();
  const arrived = (await invitation(request, token)).response!;
  expect(arrived.answers).toEqual(
    expect.arrayContaining([
      { question: score.id, value: { score: 5 } },
      { question: comment.id, value: { text: 'offline 写的评价' } },
    ]),
  );
  expect(arrived.answers).toHaveLength(2);
  // Opened again, the survey shows them as sent, once.
  await again.goto(link(body, token));
  await expect(again.getByRole('heading', { name: t('survey.thanks_title') })).toBeVisible();
  expect(await again.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('portico.pending:')))).toEqual([]);
});

/** Answers the survey's score offline and finishes it: the page says the answers are kept. */
async function finishOffline(page: Page, context: BrowserContext, request: APIRequestContext, t: Translate, lang: Lang) {
  const { token, body } = await invite(request, DEMO.wang, 'delivery');
  const [score] = (await invitation(request, token)).survey.questions;
  await page.goto(link(body, token));
  await expect(question(page, score, lang)).toBeVisible();
  await context.setOffline(true);
  await choose(page, score, lang, '5');
  await page.getByRole('button', { name: t('survey.finish') }).click();
  await expect(page.getByRole('heading', { name: t('survey.thanks_title') })).toBeFocused();
  await expect(page.getByText(t('survey.kept_offline'))).toBeVisible();
  return { token, body };
}

/** The page stops saying the answers are kept, and shows what the service answered. */
async function sentAndSaid(page: Page, request: APIRequestContext, t: Translate, token: string) {
  await expect(page.getByRole('heading', { name: t('survey.thanks_title') })).toBeVisible();
  const [before, after] = t('survey.edit_until').split('[date]').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  await expect(page.getByText(new RegExp(`^${before}.+${after}$`))).toBeVisible();
  await expect(page.getByText(t('survey.kept_offline'))).toHaveCount(0);
  expect((await invitation(request, token)).response?.finished_at).toBeTruthy();
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('portico.pending:')))).toEqual([]);
  await expectAccessible(page);
}

test('answers kept offline: once the browser is online again, the open page says they arrived', async ({ page, context, request, t, lang }) => {
  const { token } = await finishOffline(page, context, request, t, lang);
  await context.setOffline(false);
  await sentAndSaid(page, request, t, token);
});

test('answers kept offline: the page opened again online says they arrived, on a slow network too', async ({ page, context, request, t, lang }) => {
  const { token, body } = await finishOffline(page, context, request, t, lang);
  await page.close();
  // The kept answers take 3 s to be answered: the page is drawn before they are.
  await context.route('**/api/surveys/*/response', async (route) => {
    await new Promise((done) => setTimeout(done, 3_000));
    await route.continue();
  });
  await context.setOffline(false);
  const again = await context.newPage();
  await again.goto(link(body, token));
  await sentAndSaid(again, request, t, token);
});

test('Finish pressed as the last field is left finishes: the press saves the field, and nothing moves under it', async ({ page, context, request, t, lang }) => {
  const { token, body } = await invite(request, DEMO.wang, 'delivery');
  const [score, , comment] = (await invitation(request, token)).survey.questions;
  await page.goto(link(body, token));
  await expect(question(page, score, lang)).toBeVisible();
  await context.setOffline(true);
  await choose(page, score, lang, '5');
  await expect(page.getByRole('status').filter({ hasText: t('survey.kept_offline') })).toBeVisible();
  await page.getByLabel(comment.prompt[lang]).fill('按完成时光标还在这里');
  // A press as a finger makes it, 150 ms from down to up: the field is left (and saved, and kept
  // again, offline) as the button goes down, and the button must still be there when it comes up.
  const button = page.getByRole('button', { name: t('survey.finish') });
  await button.scrollIntoViewIfNeeded();
  const box = (await button.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(150);
  await page.mouse.up();
  await expect(page.getByRole('heading', { name: t('survey.thanks_title') })).toBeFocused();
});

test('the same survey open in two tabs: the second carries on with the first one\'s answers', async ({ page, context, request, t, lang }) => {
  const { token, body } = await invite(request, DEMO.chen, 'delivery');
  const score = (await invitation(request, token)).survey.questions[0];
  const other = await context.newPage();
  await page.goto(link(body, token));
  await other.goto(link(body, token));
  await expect(question(other, score, lang)).toBeVisible();
  await choose(page, score, lang, '4');
  await expect(page.getByRole('status').filter({ hasText: t('survey.saved') })).toBeVisible();
  const first = (await invitation(request, token)).response!;
  // The second tab made its own response id before the first saved: refused, it takes the first's.
  await choose(other, score, lang, '5');
  await expect(other.getByRole('status').filter({ hasText: t('survey.saved') })).toBeVisible();
  const both = (await invitation(request, token)).response!;
  expect(both.response_id).toBe(first.response_id);
  expect(both.answers).toEqual([{ question: score.id, value: { score: 5 } }]);
});

test('a tapped score on a survey already sent reopens it with that score, to be sent again', async ({ page, request, t, lang }) => {
  const { token, body } = await invite(request, DEMO.li, 'delivery');
  const score = (await invitation(request, token)).survey.questions[0];
  await page.goto(link(body, token, 5));
  await expect(page.getByRole('status').filter({ hasText: t('survey.saved') })).toBeVisible();
  await page.getByRole('button', { name: t('survey.finish') }).click();
  await expect(page.getByRole('heading', { name: t('survey.thanks_title') })).toBeFocused();
  await expect.poll(async () => (await invitation(request, token)).response?.finished_at ?? null).toBeTruthy();
  // A later tap on another score in the same message: the form opens with it, nothing is sent
  // until the reasons a low score asks for are given.
  await page.goto(link(body, token, 2));
  await expect(question(page, score, lang).getByRole('radio', { name: '2', exact: true })).toBeChecked();
  expect((await invitation(request, token)).response!.answers).toEqual([{ question: score.id, value: { score: 5 } }]);
  await page.getByRole('button', { name: t('survey.finish') }).click();
  await expect(page.getByRole('alert').filter({ hasText: t('survey.required') })).toBeVisible();
});

test('a tampered survey link gets a clear page, not an error', async ({ page, request, t }) => {
  const { token } = await invite(request, DEMO.li, 'delivery');
  const last = token.slice(-1) === '0' ? '1' : '0';
  await page.goto(`/s/${token.slice(0, -1)}${last}`);
  await expect(page.getByRole('heading', { level: 1, name: t('survey.invalid_title') })).toBeVisible();
  await expect(page.getByRole('link', { name: t('survey.home') })).toBeVisible();
  await expectAccessible(page);
});

async function openFeedback(page: Page, t: Translate) {
  await page.getByRole('button', { name: t('feedback.button'), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: t('feedback.title') });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('a guest sends feedback from any page; a script typed in it stays text', async ({ page, t }) => {
  page.on('dialog', () => {
    throw new Error('a script in the feedback ran');
  });
  await page.goto('/track');
  const dialog = await openFeedback(page, t);
  await expect(dialog.getByLabel(t('feedback.order'))).toHaveCount(0);
  await dialog.getByRole('button', { name: t('feedback.send') }).click();
  await expect(dialog.getByRole('alert')).toHaveText(t('survey.required'));
  await dialog.getByRole('radio', { name: t('feedback.idea') }).check();
  await dialog.getByLabel(t('feedback.text')).fill('<img src=x onerror=alert(1)> 希望可以按城市筛选');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: t('feedback.send') }).click();
  await expect(dialog.getByText(t('feedback.sent'))).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('signed in, feedback names the order on screen and shows in My feedback with its status', async ({ page, t }) => {
  await signIn(page, t, DEMO.wang);
  await page.locator('.order-link').first().click();
  await expect(page).toHaveURL(/\/orders\/PT\d{8}$/);
  const number = page.url().split('/').pop()!;
  const dialog = await openFeedback(page, t);
  await expect(dialog.getByLabel(t('feedback.order'))).toHaveValue(number);
  await dialog.getByRole('radio', { name: t('feedback.problem') }).check();
  const words = `<b>bold?</b> 订单 ${number} 的发票抬头写错了 ${Date.now()}`;
  await dialog.getByLabel(t('feedback.text')).fill(words);
  await dialog.getByRole('button', { name: t('feedback.send') }).click();
  await dialog.getByRole('link', { name: t('feedback.mine') }).click();
  await expect(page.getByRole('heading', { level: 1, name: t('my_feedback.title') })).toBeVisible();
  const mine = page.getByTestId('feedback-entry').filter({ hasText: words });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText(t('my_feedback.received'));
  await expect(mine).toContainText(t('my_feedback.about_order').replace('[ref]', number));
  await expect(mine.locator('b')).toHaveCount(0);
  // What the team did about earlier feedback, with its status.
  await expect(page.getByTestId('feedback-entry').filter({ hasText: t('my_feedback.action_taken') }).first()).toContainText(t('my_feedback.action'));
  await expectAccessible(page);
});

test('feedback sent offline is kept and arrives once when the network is back', async ({ page, context, t }) => {
  await signIn(page, t, DEMO.chen);
  const dialog = await openFeedback(page, t);
  await dialog.getByRole('radio', { name: t('feedback.praise') }).check();
  const words = `离线时写的表扬 ${Date.now()}`;
  await dialog.getByLabel(t('feedback.text')).fill(words);
  await context.setOffline(true);
  await dialog.getByRole('button', { name: t('feedback.send') }).click();
  await expect(dialog.getByText(t('feedback.kept_offline'))).toBeVisible();
  await context.setOffline(false);
  // The page sends what it kept when the browser is online again.
  await expect
    .poll(async () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('portico.pending:')).length))
    .toBe(0);
  await page.keyboard.press('Escape');
  await goVia(page, t, 'nav.feedback');
  await expect(page.getByTestId('feedback-entry').filter({ hasText: words })).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('feedback-entry').filter({ hasText: words })).toHaveCount(1);
});
