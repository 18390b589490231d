#!/usr/bin/env python3
"""Write throughput on PostgreSQL with one and with two instances (`make bench`, issue 27).

    scripts/write-bench.py [--secs N] [--binary PATH] [--out FILE]

Starts a private PostgreSQL (scripts/postgres.sh, PORTICO_PG_PORT, default 25434) with a fresh
database, and two portico-server instances on it (demo mode, the demo's steps off). Sets up, as
their users would: a customer (the ingest API, as the demo admin's integration key) with 64 orders
whose parcels were delivered yesterday, signed in through the demo outbox; 64 survey invitations
(the demo endpoint); the demo editor signed in (with its CSRF token) and 64 pages of its own.

Then writers, each on keys of its own (writer i: order i, survey response i, page i), write as fast
as they are answered, in turn: a return started on its order (an Idempotency-Key each), that return
cancelled, its survey response saved (a score, not finished: saved again and again), its page's draft
saved from the revision it last saw. With 1, 8 and 64 writers, against one instance, then the two
(writer i talks to instance i mod 2). Every answer but the one expected (201/200) is an error.

Prints a Markdown table: instances, writers, writes, errors, writes/s, p50 and p99 latency (ms).
Python's standard library only; loopback only. Every process it starts is stopped at the end.
"""

import argparse
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = 64
WRITERS = (1, 8, 64)
SURVEY_CUSTOMER = "wang.wei@example.com"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rfc3339(unix):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix))


class Http:
    """One keep-alive connection; JSON in and out."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"content-type": "application/json", **(headers or {})}
        try:
            self.conn.request(method, path, body=data, headers=headers)
            answer = self.conn.getresponse()
            text = answer.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        return answer.status, parsed, answer


def must(status, body, expected, what):
    if status != expected:
        raise SystemExit(f"{what}: {status} {json.dumps(body)[:300]}")
    return body


class Server:
    def __init__(self, binary, url, label, logs):
        self.port = free_port()
        self.data = tempfile.mkdtemp(prefix=f"write-bench-{label}-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTICO_")}
        env.update(PORTICO_DEMO="1", PORTICO_DEMO_ADVANCE_SECS="0", PORTICO_RATE_LIMIT_FACTOR="100000",
                   PORTICO_DATABASE_URL=url, PORTICO_DATA_DIR=self.data,
                   PORTICO_STATIC_DIR=os.path.join(ROOT, "dist"),
                   PORTICO_ADDR=f"127.0.0.1:{self.port}", RUST_LOG="warn")
        self.log = open(os.path.join(logs, f"server-{label}.log"), "wb")
        self.proc = subprocess.Popen([binary], env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=ROOT, start_new_session=True)

    def wait_ready(self):
        for _ in range(300):
            if self.proc.poll() is not None:
                raise SystemExit(f"an instance exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if Http(self.port).call("GET", "/api/auth/session")[0] < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("an instance did not start in 60 s")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        shutil.rmtree(self.data, ignore_errors=True)


class Postgres:
    """A private server from scripts/postgres.sh (started here if it is not running) and a fresh
    database on it, dropped at the end."""

    def __init__(self):
        self.env = dict(os.environ)
        self.env.setdefault("PORTICO_PG_PORT", "25434")
        self.dir = self.env.setdefault("PORTICO_PG_DIR", f"/tmp/portico-pg-{self.env['PORTICO_PG_PORT']}")
        self.started = False
        self.made = not os.path.exists(os.path.join(self.dir, "PG_VERSION"))
        if not os.path.exists(os.path.join(self.dir, "postmaster.pid")):
            self.script("start")
            self.started = True
        self.admin = self.script("url")
        self.name = f"portico_write_bench_{os.getpid()}"
        self.psql(f'CREATE DATABASE "{self.name}"')
        self.url = self.admin.rsplit("/", 1)[0] + "/" + self.name

    def script(self, *args):
        return subprocess.run([os.path.join(ROOT, "scripts", "postgres.sh"), *args], env=self.env,
                              check=True, capture_output=True, text=True).stdout.strip()

    def psql(self, sql):
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.admin, "-c", sql],
                       check=True, capture_output=True)

    def close(self):
        try:
            self.psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            if self.started:
                self.script("stop")
                if self.made:
                    shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Set-up, as the users would


def staff_sign_in(port, email, password):
    status, session, answer = Http(port).call("POST", "/api/staff/sign-in", {"email": email, "password": password})
    must(status, session, 200, f"staff sign-in of {email}")
    cookie = next(c.split(";")[0] for c in answer.headers.get_all("set-cookie") if c.startswith("portico_staff="))
    return {"cookie": cookie, "x-csrf-token": session["csrf_token"]}


def customer_sign_in(port, email):
    """As scripts/demo-sign-in.sh: a code asked for, read in the demo outbox, verified."""
    client = Http(port)
    outbox = lambda: must(*client.call("GET", "/api/dev/outbox")[:2], 200, "the outbox")
    after = max([m["id"] for m in outbox()], default=0)
    must(*client.call("POST", "/api/auth/code", {"contact": email})[:2], 202, "asking a code")
    for _ in range(200):
        codes = [code.group(1) for m in outbox() if m["to"] == email and m["id"] > after
                 for code in [re.search(r"\b(\d{6})\b", m["body"])] if code]
        if codes:
            status, body, answer = client.call("POST", "/api/auth/verify", {"contact": email, "code": codes[0]})
            must(status, body, 200, "verifying the code")
            return next(c.split(";")[0] for c in answer.headers.get_all("set-cookie")
                        if c.startswith("portico_session="))
        time.sleep(0.05)
    raise SystemExit(f"no sign-in code for {email} in the outbox")


def signed(key_id, secret, method, path, body):
    stamp = str(int(time.time()))
    data = json.dumps(body).encode()
    message = f"{method}\n{path}\n{stamp}\n".encode() + data
    return {"x-portico-key": key_id, "x-portico-timestamp": stamp,
            "x-portico-signature": hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()}


def set_up(port):
    """The bench's customer with KEYS delivered orders, signed in; KEYS survey tokens; the editor
    with KEYS pages. Returns (customer cookie, order numbers, tokens, staff headers, pages: slug
    and revision)."""
    run = uuid.uuid4().hex[:6]
    admin = staff_sign_in(port, "admin@portico.test", "portico-admin-demo")
    client = Http(port)
    made = must(*client.call("POST", "/api/staff/integrations", {"name": f"Write bench {run}"}, admin)[:2],
                201, "an integration key")
    key_id, secret = made["key"]["key_id"], made["secret"]

    def ingest(kind, records):
        body = {"records": records}
        path = f"/api/ingest/{kind}"
        report = must(*client.call("POST", path, body, signed(key_id, secret, "POST", path, body))[:2],
                      200, f"ingesting {kind}")
        refused = [r for r in report.get("records", []) if r.get("outcome") == "refused"]
        if refused:
            raise SystemExit(f"ingesting {kind}: refused {refused[:2]}")

    email = f"write-bench-{run}@bench.example"
    cid = f"WB{run}"
    ingest("customers", [{"id": cid, "updated_at": rfc3339(time.time() - 3 * 86400), "name": "压测客户",
                          "email": email, "phone": f"139{int(run, 16) % 10**8:08d}"}])
    placed = rfc3339(time.time() - 3 * 86400)
    base = int(run, 16) % 10**5 * 1000
    numbers = [f"PT{base + i:08d}" for i in range(KEYS)]
    units, price = 1000, 1990
    ingest("orders", [{
        "id": f"{cid}-{i}", "updated_at": placed, "number": numbers[i], "customer": cid, "placed_at": placed,
        "payment_state": "paid",
        "amounts": {"subtotal": units * price, "shipping": 0, "discount": 0, "total": units * price},
        "address": {"recipient": "赵敏", "phone": "13500001111", "province": "江苏省", "city": "南京市",
                    "district": "鼓楼区", "street": "中山北路 1 号"},
        "items": [{"sku": "WB-1", "name": {"zh-CN": "保温杯", "en": "Vacuum flask"}, "quantity": units,
                   "unit_price": price, "shipment": f"{cid}-{i}-P"}],
        "shipments": [{"id": f"{cid}-{i}-P", "carrier": "zto", "tracking_number": f"7{base + i:08d}0"}],
    } for i in range(KEYS)])
    ingest("checkpoints", [{"shipment": f"{cid}-{i}-P", "id": f"{cid}-{i}-delivered",
                            "at": rfc3339(time.time() - 86400), "event": "delivered", "location": "南京市鼓楼区"}
                           for i in range(KEYS)])
    cookie = customer_sign_in(port, email)

    tokens = []
    for _ in range(KEYS):
        invitation = must(*client.call("POST", "/api/dev/survey-invitations",
                                       {"email": SURVEY_CUSTOMER, "touchpoint": "delivery"})[:2],
                          201, "a survey invitation")
        tokens.append(invitation["token"])

    editor = staff_sign_in(port, "editor@portico.test", "portico-editor-demo")
    pages = []
    for i in range(KEYS):
        slug = f"bench-{run}-{i}"
        made = must(*client.call("POST", "/api/staff/pages", {"slug": slug, "audience": {"kind": "everyone"}},
                                 editor)[:2], 201, "a page")
        pages.append((slug, made["revision"]))
    return cookie, numbers, tokens, editor, pages


# ---------------------------------------------------------------------------------------------
# The writers


class Writer:
    """Writer i's keys and where they stand; its next write, in turn."""

    def __init__(self, i, cookie, order, token, editor, page):
        self.i, self.cookie, self.order, self.token = i, cookie, order, token
        self.editor, (self.slug, self.revision) = editor, page
        self.response_id = f"bench{uuid.uuid4().hex}"
        self.open_return = None
        self.turn = 0
        self.saves = 0

    def next_write(self):
        """(method, path, body, headers, expected status, on success)."""
        self.turn += 1
        kind = self.turn % 3
        if kind == 0:
            if self.open_return:
                number = self.open_return

                def cancelled(_):
                    self.open_return = None
                return ("POST", f"/api/returns/{number}/cancel", None, {"cookie": self.cookie}, 200, cancelled)
            body = {"order": self.order, "lines": [{"line": 1, "quantity": 1}], "reason": "changed_mind",
                    "resolution": "refund", "handover": "drop_off"}

            def started(answer):
                self.open_return = answer["number"]
            return ("POST", "/api/returns", body,
                    {"cookie": self.cookie, "idempotency-key": uuid.uuid4().hex}, 201, started)
        if kind == 1:
            self.saves += 1
            body = {"response_id": self.response_id, "finished": False,
                    "answers": [{"question": "score", "value": {"score": 1 + self.saves % 5}}]}
            return ("PUT", f"/api/surveys/{self.token}/response", body, {}, 200, lambda _: None)
        body = {"revision": self.revision, "audience": {"kind": "everyone"}, "copies": [
            {"locale": "zh-CN", "title": f"第 {self.turn} 稿", "blocks": [
                {"kind": "rich_text", "markdown": f"草稿 **{self.turn}**"}]}]}

        def saved(answer):
            self.revision = answer["revision"]
        return ("PUT", f"/api/staff/pages/{self.slug}/draft", body, self.editor, 200, saved)


def measure(ports, writers, secs):
    """`writers` writing for `secs` seconds, writer i to ports[i % len(ports)]: (writes, errors,
    latencies in ms, error samples)."""
    stop = threading.Event()
    lock = threading.Lock()
    latencies, errors, samples = [], [0], []
    barrier = threading.Barrier(len(writers) + 1)

    def work(writer):
        client = Http(ports[writer.i % len(ports)])
        mine = []
        barrier.wait()
        while not stop.is_set():
            method, path, body, headers, expected, done = writer.next_write()
            started = time.perf_counter()
            try:
                status, answer, _ = client.call(method, path, body, headers)
            except (OSError, http.client.HTTPException) as error:
                status, answer = None, str(error)
                client = Http(ports[writer.i % len(ports)])
            elapsed = (time.perf_counter() - started) * 1000
            if status == expected:
                done(answer)
                mine.append(elapsed)
            else:
                with lock:
                    errors[0] += 1
                    if len(samples) < 5:
                        samples.append(f"{method} {path}: {status} {json.dumps(answer)[:200]}")
                if status == 409 and "/draft" in path:
                    writer.revision = -1  # read again below
                if writer.revision == -1:
                    status, draft, _ = client.call("GET", f"/api/staff/pages/{writer.slug}", None, writer.editor)
                    writer.revision = draft["revision"] if status == 200 else 0
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work, args=(w,)) for w in writers]
    for t in threads:
        t.start()
    barrier.wait()
    began = time.perf_counter()
    time.sleep(secs)
    stop.set()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    return len(latencies), errors[0], wall, sorted(latencies), samples


def percentile(values, p):
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--secs", type=float, default=float(os.environ.get("WRITE_BENCH_SECS", 10)))
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "server", "portico-server"))
    args = parser.parse_args()
    logs = tempfile.mkdtemp(prefix="write-bench-logs-")
    pg = Postgres()
    servers = []
    failed = False
    try:
        servers = [Server(args.binary, pg.url, label, logs) for label in ("a", "b")]
        for server in servers:
            server.wait_ready()
        cookie, numbers, tokens, editor, pages = set_up(servers[0].port)
        writers = [Writer(i, cookie, numbers[i], tokens[i], editor, pages[i]) for i in range(KEYS)]
        measure([s.port for s in servers], writers[:8], min(3.0, args.secs))  # warm-up
        print("| instances | writers | writes | errors | writes/s | p50 ms | p99 ms |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for instances in (1, 2):
            for count in WRITERS:
                ports = [s.port for s in servers[:instances]]
                done, errors, wall, latencies, samples = measure(ports, writers[:count], args.secs)
                failed |= errors > 0
                print(f"| {instances} | {count} | {done} | {errors} | {done / wall:,.0f} | "
                      f"{percentile(latencies, 0.5):.1f} | {percentile(latencies, 0.99):.1f} |", flush=True)
                for sample in samples:
                    print(f"  error: {sample}", file=sys.stderr)
    finally:
        for server in servers:
            server.stop()
        pg.close()
        if failed:
            print(f"errors: the servers' logs are in {logs}", file=sys.stderr)
        else:
            shutil.rmtree(logs, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
