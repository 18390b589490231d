import { expect, type APIRequestContext } from '@playwright/test';
import { codeSentAfter, newestMessage } from './fixtures';

export type Summary = { number: string; status: string | null; shipment_count: number };
export type Checkpoint = { at: string; event: string; location: string };
export type Detail = {
  number: string;
  shipments: { status: string; tracking_number: string; checkpoints: Checkpoint[] }[];
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
