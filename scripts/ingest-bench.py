#!/usr/bin/env python3
"""Ingest throughput against a running demo server (`make bench`, scripts/bench.sh).

    scripts/ingest-bench.py BASE_URL ENGINE      -> one Markdown table row on stdout
    scripts/ingest-bench.py --files DIR N        -> DIR/customers.jsonl and DIR/orders.jsonl, N orders

Makes an integration key as the demo admin (through the staff API), sends a customer and 20 orders
with a parcel each, then carrier checkpoints: batched (500 events a request, one client) and single
(one event a request, 4 clients at once, each request signed afresh). Events per second for each.
"""

import hashlib
import hmac
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid

BATCHED_EVENTS = 10_000
SINGLE_EVENTS = 2_000
SINGLE_CLIENTS = 4
PARCELS = 20


def customer(cid, n):
    return {"id": cid, "updated_at": "2026-12-01T00:00:00Z", "name": f"客户{n}",
            "email": f"{cid.lower()}@bench.example", "phone": f"139{n:08d}"}


def order(oid, number, cid):
    return {
        "id": oid, "updated_at": "2026-12-01T02:00:00Z", "number": number, "customer": cid,
        "placed_at": "2026-12-01T02:00:00Z", "payment_state": "paid",
        "amounts": {"subtotal": 19900, "shipping": 0, "discount": 0, "total": 19900},
        "address": {"recipient": "赵敏", "phone": "13500001111", "province": "江苏省", "city": "南京市",
                    "district": "鼓楼区", "street": "中山北路 1 号"},
        "items": [{"sku": "B-1", "name": {"zh-CN": "保温杯", "en": "Vacuum flask"}, "quantity": 1,
                   "unit_price": 19900, "shipment": f"{oid}-P"}],
        "shipments": [{"id": f"{oid}-P", "carrier": "zto", "tracking_number": f"7{number[2:]}0000"}],
    }


class Client:
    def __init__(self, base, key_id=None, secret=None):
        url = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.key_id, self.secret = key_id, secret

    def call(self, method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else b""
        headers = {"content-type": "application/json", **(headers or {})}
        if self.key_id:
            stamp = str(int(time.time()))
            message = f"{method}\n{path}\n{stamp}\n".encode() + data
            headers.update({"x-portico-key": self.key_id, "x-portico-timestamp": stamp,
                            "x-portico-signature": hmac.new(self.secret.encode(), message, hashlib.sha256).hexdigest()})
        self.conn.request(method, path, body=data, headers=headers)
        answer = self.conn.getresponse()
        text = answer.read()
        if answer.status >= 300:
            raise SystemExit(f"{method} {path}: {answer.status} {text[:300]!r}")
        return answer, json.loads(text) if text else None


def make_key(base):
    admin = Client(base)
    answer, session = admin.call("POST", "/api/staff/sign-in",
                                 {"email": "admin@portico.test", "password": "portico-admin-demo"})
    cookies = [c.split(";")[0] for c in answer.headers.get_all("set-cookie")]
    staff = next(c for c in cookies if c.startswith("portico_staff="))
    _, made = admin.call("POST", "/api/staff/integrations", {"name": f"Bench {uuid.uuid4().hex[:8]}"},
                         {"cookie": staff, "x-csrf-token": session["csrf_token"]})
    return made["key"]["key_id"], made["secret"]


def checkpoint(run, n):
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_790_000_000 + n))
    return {"shipment": f"B{run}-{n % PARCELS}-P", "id": f"ev-{run}-{n}", "at": at,
            "event": "arrived_facility" if n % 2 else "departed_facility", "location": f"转运中心 {n % 97}"}


def bench(base, engine):
    key_id, secret = make_key(base)
    run = uuid.uuid4().hex[:6]
    client = Client(base, key_id, secret)
    cid = f"BC{run}"
    client.call("POST", "/api/ingest/customers", {"records": [customer(cid, int(run, 16) % 10**8)]})
    base_number = int(run, 16) % 10**6 * 100
    client.call("POST", "/api/ingest/orders", {"records": [
        order(f"B{run}-{i}", f"PT{base_number + i:08d}", cid) for i in range(PARCELS)]})

    started = time.perf_counter()
    for first in range(0, BATCHED_EVENTS, 500):
        _, report = client.call("POST", "/api/ingest/checkpoints", {"records": [
            checkpoint(run, n) for n in range(first, first + 500)]})
        assert report["added"] == 500, report
    batched = BATCHED_EVENTS / (time.perf_counter() - started)

    def single(worker):
        mine = Client(base, key_id, secret)
        for n in range(worker, SINGLE_EVENTS, SINGLE_CLIENTS):
            mine.call("POST", "/api/ingest/checkpoints",
                      {"records": [checkpoint(run, BATCHED_EVENTS + n)]})

    started = time.perf_counter()
    threads = [threading.Thread(target=single, args=(w,)) for w in range(SINGLE_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    singles = SINGLE_EVENTS / (time.perf_counter() - started)
    print(f"| {engine} | {batched:,.0f} | {singles:,.0f} |")


def files(folder, count):
    customers = max(1, count // 10)
    with open(f"{folder}/customers.jsonl", "w") as out:
        for n in range(customers):
            out.write(json.dumps(customer(f"IC{n}", n), ensure_ascii=False) + "\n")
    with open(f"{folder}/orders.jsonl", "w") as out:
        for n in range(count):
            out.write(json.dumps(order(f"IO{n}", f"PT{60_000_000 + n:08d}", f"IC{n % customers}"),
                                 ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "--files":
        files(sys.argv[2], int(sys.argv[3]))
    else:
        bench(sys.argv[1], sys.argv[2])
