import { expect, test, type APIRequestContext } from '@playwright/test';
import { codeSentAfter, newestMessage, type Lang } from './fixtures';

/** An item's name as the service sends it: a text per language, either may be empty. */
export type Named = { 'zh-CN'?: string; en?: string };

/** The name a reader in `lang` (by default the project's) reads: theirs, else the other language's
 * (the contract's `Localized::get`). */
export function named(name: Named, lang: Lang = (test.info().project.use as unknown as { lang?: Lang }).lang ?? 'zh-CN'): string {
  const other: Lang = lang === 'en' ? 'zh-CN' : 'en';
  return name[lang]?.trim() ? name[lang]! : name[other] ?? '';
}

export type Summary = { number: string; status: string | null; shipment_count: number; headline: Named };
export type Checkpoint = { at: string; event: string; location: string };
export type Detail = {
  number: string;
  items: { name: Named; variant: Named }[];
  shipments: { status: string; tracking_number: string; checkpoints: Checkpoint[]; items: Named[] }[];
  address: { phone: string; street: string | null };
};

/** Signs an API context in (for test setup: finding the demo orders a journey needs). */
export async function signInApi(request: APIRequestContext, email: string) {
  const after = await newestMessage(request);
  expect((await request.post('/api/auth/code', { data: { contact: email } })).status()).toBe(202);
  const code = await codeSentAfter(request, email, after);
  expect((await request.post('/api/auth/verify', { data: { contact: email, code } })).ok()).toBeTruthy();
}

export async function allOrders(request: APIRequestContext): Promise<Summary[]> {
  const orders: Summary[] = [];
  for (let page = 1; ; page++) {
    const response = await request.get(`/api/orders?page=${page}&per_page=50`);
    expect(response.ok()).toBeTruthy();
    const body = await response.json();
    orders.push(...body.orders);
    if (page * body.per_page >= body.total) return orders;
  }
}

export async function orderDetail(request: APIRequestContext, number: string): Promise<Detail> {
  const response = await request.get(`/api/orders/${number}`);
  expect(response.ok()).toBeTruthy();
  return response.json();
}

export type Returnable = {
  order: string;
  /** `name` (and `variant`s) as the project's reader reads them ([`named`]). */
  items: { line: number; name: string; returnable_quantity: number; unit_price: number }[];
};

/** What of `order` can go back, each item's name in the project's language. */
async function offerOf(request: APIRequestContext, order: string): Promise<Returnable> {
  const response = await request.get(`/api/orders/${order}/returnable`);
  expect(response.ok()).toBeTruthy();
  const offer = await response.json();
  for (const item of offer.items) {
    item.name = named(item.name);
    item.variant = named(item.variant);
    for (const option of item.exchange_options ?? []) option.variant = named(option.variant);
  }
  return offer;
}
export type ReturnSummary = {
  number: string;
  order: string;
  status: string;
  refund: number;
  lines: { line: number; quantity: number }[];
  pickup?: { starts_at: string };
  drop_off_code?: string;
  settles_by?: string;
};

/** An order of the signed-in customer with an item that can go back now (a different one each
 * time a journey has returned the one before), and that item. */
export async function orderToReturn(request: APIRequestContext) {
  for (const order of await allOrders(request)) {
    const offer = await offerOf(request, order.number);
    const item = offer.items.find((i) => i.returnable_quantity > 0);
    if (item) return { number: order.number, item };
  }
  throw new Error('no order with an item that can be returned');
}

/** The signed-in customer's returns of one order, but those that ended early: cancelled or
 * rejected by a reviewer (earlier journeys'; their items can be returned again). */
export async function returnsOf(request: APIRequestContext, order: string): Promise<ReturnSummary[]> {
  const response = await request.get('/api/returns');
  expect(response.ok()).toBeTruthy();
  const all: ReturnSummary[] = await response.json();
  return all.filter((r) => r.order === order && r.status !== 'cancelled' && r.status !== 'rejected');
}

/** An order of the signed-in customer with an item whose return (every unit of it that can go
 * back) refunds more than `fen`, and that item: such a return waits for a reviewer. */
export async function orderToReturnOver(request: APIRequestContext, fen: number) {
  for (const order of await allOrders(request)) {
    const offer = await offerOf(request, order.number);
    const item = offer.items.find((i) => i.returnable_quantity > 0 && i.unit_price * i.returnable_quantity > fen);
    if (item) return { number: order.number, item };
  }
  throw new Error(`no order with an item whose return refunds more than ${fen} fen`);
}

/** Starts a return of every unit of `item` that can go back, dropped off for a refund, as the
 * signed-in customer (a fresh Idempotency-Key); the return made. */
export async function startReturn(
  request: APIRequestContext,
  order: string,
  item: Returnable['items'][number],
): Promise<ReturnSummary> {
  const answer = await request.post('/api/returns', {
    headers: { 'Idempotency-Key': `e2e-${order}-${item.line}-${Date.now()}-${Math.random()}` },
    data: { order, lines: [{ line: item.line, quantity: item.returnable_quantity }], reason: 'damaged', resolution: 'refund', handover: 'drop_off' },
  });
  expect(answer.status()).toBe(201);
  return answer.json();
}

/** Cancels the order's returns a journey started, so the next journey finds its items again. */
export async function cancelReturns(request: APIRequestContext, order: string) {
  for (const made of await returnsOf(request, order)) {
    expect((await request.post(`/api/returns/${made.number}/cancel`)).ok()).toBeTruthy();
  }
}

/** An order of the signed-in customer with an item that can go back now for another size or
 * colour in stock, that item and the first such variant. */
export async function orderToExchange(request: APIRequestContext) {
  for (const order of await allOrders(request)) {
    const offer = await offerOf(request, order.number);
    for (const item of offer.items as (Returnable['items'][number] & { exchange_options: { sku: string; variant: string; in_stock: boolean }[] })[]) {
      const variant = item.exchange_options.find((x) => x.in_stock);
      if (item.returnable_quantity > 0 && variant) return { number: order.number as string, item, variant };
    }
  }
  throw new Error('no order with an item that can be exchanged');
}
