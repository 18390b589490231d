#!/usr/bin/env python3
"""`make soak`: mixed traffic against real portico-server processes, some of them killed with
`kill -9` while it runs, then the database read to see what became of every write a client was
told had happened.

Three phases, each on a fresh database (loopback only, Python's standard library only):
  postgres  steady   two instances on one PostgreSQL database, no kills
  postgres  kill     the same, one instance killed with kill -9 every KILL_EVERY seconds and
                     restarted at once (alternating)
  sqlite    kill     one instance on a fresh SQLite data folder, killed and restarted likewise
  postgres  delivery two instances, sign-in codes sent through a real SMTP server (tests/smtp/sink.py)
                     while one instance is killed every KILL_EVERY seconds and the SMTP server
                     refuses (451) three messages at each kill: every code answered 202 must arrive
                     (its notice's Message-ID), none be given up; one sent again because its
                     instance died after handing it over is counted apart (at least once)
  sqlite    delivery the same with one instance on SQLite

Traffic (WORKERS threads, each request sent to an instance chosen per request): signed-in reads
(orders, an order, its returnable lines, returns, tier, feedback), returns started with an
Idempotency-Key on a line the eligibility endpoint says can go back (most cancelled at once, so
units come back and returns go on all through the phase; the rest go through the demo's steps),
pickups rescheduled while the demo's mover hands their goods over (a return with a doorstep pickup,
then its pickup moved to other slots, one request after another, until the answer is that the goods
were handed over: the demo steps every ADVANCE seconds race the reschedules), survey answers under
a client-made response id (score, then comment and finish), feedback messages under a client-made
id (guest or signed in). A write is sent again with the same key/id/body after any failure
(connection error, 5xx, 429) until it is answered; a 409/422 refusal of a return, a cancel or a
reschedule is an answer. A request that fails because its instance was killed is "in flight at a
kill": it is counted apart and sent again to another instance (the same one, once it is back, when
there is only one). Every other connection error, 5xx and unexpected answer is an error.

Afterwards, read from the database itself (psql, or Python's sqlite3): every acknowledged write
must be there as answered (lost otherwise), none twice (duplicates: two rows for one key/id, a
return without its key, a line returned more often than bought), every return and cancel
acknowledged must have told its customer in the outbox, and no outbox message may have been sent
twice (same recipient, subject and body: a job or a delivery that ran twice; a pickup's moves,
told with the window it has when the message goes out, by count). A reschedule
acknowledged must be the return's pickup slot (or one asked after it), and no reschedule may have
been made after the hand-over: the outbox tells a return's moves in the order they were committed
(each notice is queued in the write transaction of its move, and delivered in that order), so a
"pickup moved" message after the "handed over" one is a reschedule acknowledged for goods already
gone (a lost update).

The instances' debug log says which periodic job slots each ran: one slot run twice is a job run
twice too.

The figures are printed and appended to bench/results.md (unless --no-record). Exit status 1 if
any error (outside killed in-flight requests), loss, duplicate or double message was seen.
`--self-test` spoils each phase's database before the checks and passes only if every check
then fails: the checks can fail.

PostgreSQL: a private server from scripts/postgres.sh on its own port (PORTICO_PG_PORT, default
25433 for the soak, so it never meets the test suite's server on 25432; both below the ephemeral ports); started if it is not
running and then stopped (and its folder removed if the soak made it). Each phase's database is
created and dropped; every process started is stopped, also on Ctrl-C or failure.

Settings (environment): SOAK_SECS (60 per phase), SOAK_KILL_EVERY (10), SOAK_WORKERS (6),
SOAK_PHASES (postgres-steady,postgres-kill,sqlite-kill,postgres-delivery,sqlite-delivery),
PORTICO_PG_PORT.
"""

import argparse
import calendar
import collections
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CUSTOMERS = ["wang.wei@example.com", "li.na@example.com", "chen.jie@example.com"]
REASONS = ["changed_mind", "wrong_size", "damaged", "not_as_described", "arrived_late", "other"]
WRITE_KINDS = ["return", "cancel", "reschedule", "survey", "feedback"]
# Messages not yet delivered (delivered and failed ones stay in `notices`).
WAITING = "SELECT COUNT(*) FROM notices WHERE status = 'waiting'"
# The share of returns cancelled as soon as they are made.
CANCEL_SHARE = 0.85
# The most reschedules of one pickup (it is usually handed over before).
RESCHEDULES = 12
# What a return's buyer is told when its pickup moved, and when its goods were handed over.
TOLD_MOVED = "has its pickup moved"
TOLD_HANDED_OVER = "has been handed over"
# How long one write is sent again before the soak gives up on it (an error).
GIVE_UP_SECS = 60
# A keep-alive connection idle this long is not reused (the server closes idle ones at 10 s).
IDLE_REUSE_SECS = 4


class Interrupted(Exception):
    """SIGTERM (or SIGINT) arrived: clean up and leave."""


def log(message):
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# Server processes


class Instance:
    """One portico-server process on a fixed port, restartable after a kill."""

    def __init__(self, label, binary, env, log_path):
        self.label = label
        self.binary = binary
        self.port = free_port()
        self.env = dict(env, PORTICO_ADDR=f"127.0.0.1:{self.port}")
        self.log_path = log_path
        self.proc = None
        self.up = False
        # Grows at every kill: a request started under another generation died with it.
        self.generation = 0
        self.starts = 0

    def start(self):
        self.starts += 1
        with open(self.log_path, "ab") as out:
            out.write(f"\n===== soak: start {self.starts} of {self.label} at {time.time():.3f} =====\n".encode())
            out.flush()
            self.proc = subprocess.Popen(
                [self.binary], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, cwd=ROOT, start_new_session=True)

    def wait_ready(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.label} exited with {self.proc.returncode} while starting; "
                                   f"see {self.log_path}:\n{tail(self.log_path)}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/readyz")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    self.up = True
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.label} was not ready within {timeout} s; see {self.log_path}")

    def kill9(self):
        """kill -9, as a crash: no chance to finish anything."""
        self.generation += 1
        self.up = False
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        with open(self.log_path, "ab") as out:
            out.write(f"\n===== soak: kill -9 of {self.label} (pid {self.proc.pid}) at {time.time():.3f} =====\n".encode())

    def stop(self):
        """A clean stop (SIGTERM), kill -9 if it does not stop within 10 s. Safe to call twice."""
        self.up = False
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            log(f"{self.label} did not stop on SIGTERM within 10 s: kill -9")
            self.proc.kill()
            self.proc.wait()


def shown(body, limit):
    """An answer's body as text, shortened, for evidence."""
    return repr(body.decode("utf-8", errors="replace")[:limit])


def strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def route(path):
    """A request's path as its route (`/api/orders/{number}`), to count by."""
    path = path.split("?")[0]
    path = re.sub(r"/PT\d{8}", "/{number}", path)
    path = re.sub(r"/R\d{8}", "/{number}", path)
    return re.sub(r"/surveys/[^/]+", "/surveys/{token}", path)


def tail(path, lines=20):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


# ---------------------------------------------------------------------------------------------
# The databases, read directly


class PgDatabase:
    def __init__(self, server_url, name):
        self.name = name
        self.admin_url = server_url
        self.url = server_url.rsplit("/", 1)[0] + "/" + name

    @staticmethod
    def psql(url, sql):
        out = subprocess.run(
            ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", "\x1f", "-R", "\x1e",
             "-P", "null=\\N", "-d", url, "-c", sql],
            check=True, capture_output=True, text=True).stdout
        rows = []
        for record in out.split("\x1e"):
            record = record.strip("\n")
            if record == "":
                continue
            rows.append([None if v == "\\N" else v for v in record.split("\x1f")])
        return rows

    def create(self):
        self.psql(self.admin_url, f'CREATE DATABASE "{self.name}"')

    def drop(self):
        self.psql(self.admin_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def query(self, sql):
        return self.psql(self.url, sql)

    def execute(self, sql):
        self.psql(self.url, sql)


class SqliteDatabase:
    def __init__(self, path):
        self.path = path

    def query(self, sql):
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            return [[None if v is None else str(v) for v in row] for row in conn.execute(sql)]
        finally:
            conn.close()

    def execute(self, sql):
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            conn.execute(sql)
            conn.commit()
        finally:
            conn.close()


# ---------------------------------------------------------------------------------------------
# Counting


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.statuses = collections.Counter()
        self.errors = []          # (what, detail) outside kills
        self.at_kill = 0
        self.at_kill_by = collections.Counter()
        self.at_kill_examples = []
        self.latencies = []
        self.refused = {k: collections.Counter() for k in WRITE_KINDS}
        self.anomalies = []       # answers that contradict the contract, with evidence
        self.uncancelled = []     # cancels answered 200 with the return in another status
        self.late_moves = []      # reschedules answered 200 with the goods handed over (since?)
        # Acknowledged writes, as the client was told.
        self.returns = {}         # key -> {number, email, order, line}
        self.cancels = {}         # number -> email
        # number -> the slots asked for, in order, each [starts_at, acknowledged]
        self.reschedules = collections.defaultdict(list)
        self.surveys = {}         # response id -> {invitation, score, comment}
        self.feedback = {}        # id -> text
        self.attempted_feedback = set()
        self.attempted_surveys = set()

    def count(self, status, seconds):
        with self.lock:
            self.requests += 1
            self.statuses[status] += 1
            if seconds is not None:
                self.latencies.append(seconds)

    def error(self, what, detail):
        with self.lock:
            self.errors.append((what, detail))

    def killed(self, what, detail):
        with self.lock:
            self.at_kill += 1
            self.at_kill_by[what] += 1
            if len(self.at_kill_examples) < 5:
                self.at_kill_examples.append(detail)

    def anomaly(self, detail):
        with self.lock:
            self.anomalies.append(detail)


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.request_id = self.instance = self.at = None

    def where(self):
        """Which request this was, to find it in the server's log."""
        at = time.strftime('%H:%M:%S', time.gmtime(self.at)) + f".{int(self.at * 1000) % 1000:03d}Z"
        return f"{self.request_id} on {self.instance}, sent at {at}"

    def json(self):
        return json.loads(self.body) if self.body else None

    def code(self):
        try:
            return (self.json() or {}).get("code", "?")
        except ValueError:
            return "?"


class Client:
    """One worker's connections, one keep-alive connection per instance."""

    def __init__(self, phase):
        self.phase = phase
        self.conns = {}

    def close(self):
        for conn, _, _ in self.conns.values():
            conn.close()
        self.conns.clear()

    def _conn(self, inst):
        held = self.conns.get(inst.label)
        if held:
            conn, generation, used = held
            if generation == inst.generation and time.time() - used < IDLE_REUSE_SECS:
                return conn
            conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", inst.port, timeout=20)
        self.conns[inst.label] = (conn, inst.generation, time.time())
        return conn

    def attempt(self, inst, method, path, body, headers):
        conn = self._conn(inst)
        try:
            conn.request(method, path, body=body, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
        except BaseException:
            conn.close()
            self.conns.pop(inst.label, None)
            raise
        self.conns[inst.label] = (conn, self.conns[inst.label][1], time.time())
        if answer.getheader("connection", "").lower() == "close":
            conn.close()
            self.conns.pop(inst.label, None)
        return Answer(answer.status, answer.headers, data)

    def send(self, method, path, payload=None, cookie=None, headers=None, write=False):
        """Sends one request: again, to another instance when there is one, after a connection
        failure; a write (the same body and headers) also after a 5xx or 429, until it is
        answered. The answer, or None when a read was answered 5xx/429 or a write given up."""
        body = None if payload is None else json.dumps(payload)
        head = {"Accept": "application/json"}
        if body is not None:
            head["Content-Type"] = "application/json"
        if cookie:
            head["Cookie"] = f"portico_session={cookie}"
        head.update(headers or {})
        phase = self.phase
        started = time.time()
        avoid = None
        while True:
            if time.time() - started > GIVE_UP_SECS:
                phase.stats.error("gave up", f"{method} {path}: no answer in {GIVE_UP_SECS} s")
                return None
            inst = phase.pick(avoid)
            if inst is None:
                phase.stats.error("no instance", f"{method} {path}: no instance up for 30 s")
                return None
            generation = inst.generation
            rid = phase.request_id()
            head["X-Request-Id"] = rid
            t0 = time.time()
            try:
                answer = self.attempt(inst, method, path, body, head)
            except (OSError, http.client.HTTPException) as e:
                phase.stats.count("failed", None)
                what = f"{type(e).__name__}: {e}"
                detail = f"{rid} {method} {path} on {inst.label}: {what}"
                if inst.generation != generation or not inst.up:
                    phase.stats.killed(f"{method} {route(path)}", detail)
                else:
                    phase.stats.error("connection", detail)
                avoid = inst
                time.sleep(0.05)
                continue
            phase.stats.count(answer.status, time.time() - t0)
            answer.request_id, answer.instance, answer.at = rid, inst.label, t0
            if answer.status >= 500 or answer.status == 429:
                phase.stats.error(f"HTTP {answer.status}",
                                  f"{rid} {method} {path} on {inst.label}: {answer.status} {shown(answer.body, 300)}")
                if not write:
                    return None
                avoid = inst
                time.sleep(0.1)
                continue
            return answer


# ---------------------------------------------------------------------------------------------
# One phase


class Phase:
    def __init__(self, args, backend, name, instances_n, kills, run_dir, pg_server_url):
        self.args = args
        self.backend = backend
        self.name = name
        self.kills = kills
        self.stats = Stats()
        self.stop = threading.Event()
        self.counter = 0
        self.counter_lock = threading.Lock()
        self.sessions = {}
        self.orders = {}
        self.kill_log = []
        self.dir = os.path.join(run_dir, f"{backend}-{name}")
        os.makedirs(self.dir)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTICO_")}
        env.update(PORTICO_DEMO="1", PORTICO_RATE_LIMIT_FACTOR=str(args.rate_limit_factor),
                   PORTICO_DEMO_ADVANCE_SECS=str(args.advance_secs),
                   # Slots never fill up: the reschedules race the mover, not one another.
                   PORTICO_PICKUP_SLOT_CAPACITY="100000",
                   PORTICO_DATA_DIR=os.path.join(self.dir, "data"),
                   PORTICO_STATIC_DIR=os.path.join(ROOT, "dist"),
                   # debug: each periodic job run is logged ("ran", with its slot), read afterwards.
                   RUST_LOG=os.environ.get("RUST_LOG", "info,portico_server=debug"))
        if backend == "postgres":
            self.db = PgDatabase(pg_server_url, f"portico_soak_{os.getpid()}_{name}")
            env["PORTICO_DATABASE_URL"] = self.db.url
        else:
            self.db = SqliteDatabase(os.path.join(self.dir, "data", "portico.db"))
        self.instances = [
            Instance(f"{backend}-{name}-{chr(ord('a') + i)}", args.binary, env,
                     os.path.join(self.dir, f"server-{chr(ord('a') + i)}.log"))
            for i in range(instances_n)]

    def request_id(self):
        with self.counter_lock:
            self.counter += 1
            return f"soak-{self.backend}-{self.name}-{self.counter}"

    def pick(self, avoid=None):
        deadline = time.time() + 30
        while time.time() < deadline:
            up = [i for i in self.instances if i.up]
            if avoid is not None and len(up) > 1:
                up = [i for i in up if i is not avoid]
            if up:
                return random.choice(up)
            time.sleep(0.02)
        return None

    # -- set-up ---------------------------------------------------------------------------------

    def start(self):
        if self.backend == "postgres":
            self.db.create()
        for inst in self.instances:   # together: a new database is seeded once
            inst.start()
        for inst in self.instances:
            inst.wait_ready()
        client = Client(self)
        for email in CUSTOMERS:
            self.sessions[email] = self.sign_in(client, email)
            page = client.send("GET", "/api/orders?per_page=50", cookie=self.sessions[email])
            if page is None or page.status != 200:
                raise RuntimeError(f"could not list {email}'s orders")
            self.orders[email] = [o["number"] for o in page.json()["orders"]]
        client.close()
        self.baseline = {
            "returns": int(self.db.query("SELECT COALESCE(MAX(id), 0) FROM returns")[0][0]),
            "outbox": int(self.db.query("SELECT COALESCE(MAX(id), 0) FROM outbox")[0][0]),
        }

    def sign_in(self, client, email):
        """As scripts/demo-sign-in.sh: a code asked for, read in the demo outbox, verified."""
        def newest():
            answer = client.send("GET", "/api/dev/outbox")
            return answer.json() if answer and answer.status == 200 else []
        after = max([m["id"] for m in newest()], default=0)
        answer = client.send("POST", "/api/auth/code", {"contact": email}, write=True)
        if answer is None or answer.status != 202:
            raise RuntimeError(f"asking a code for {email}: {answer and answer.status}")
        code = None
        for _ in range(200):
            for m in newest():
                if m["to"] == email and m["id"] > after:
                    code = re.search(r"\b(\d{6})\b", m["body"]).group(1)
                    break
            if code:
                break
            time.sleep(0.05)
        if not code:
            raise RuntimeError(f"no sign-in code for {email} in the outbox")
        answer = client.send("POST", "/api/auth/verify", {"contact": email, "code": code}, write=True)
        if answer is None or answer.status != 200:
            raise RuntimeError(f"verifying {email}'s code: {answer and answer.status}")
        for name, value in answer.headers.items():
            if name.lower() == "set-cookie":
                m = re.match(r"portico_session=([^;]+)", value)
                if m:
                    return m.group(1)
        raise RuntimeError(f"no session cookie for {email}")

    # -- traffic --------------------------------------------------------------------------------

    def worker(self, wid):
        client = Client(self)
        rng = random.Random(f"{self.name}-{wid}-{time.time()}")
        try:
            while not self.stop.is_set():
                email = rng.choice(CUSTOMERS)
                roll = rng.random()
                if roll < 0.40:
                    self.read(client, rng, email)
                elif roll < 0.62:
                    self.start_return(client, rng, email)
                elif roll < 0.72:
                    self.reschedule_race(client, rng, email)
                elif roll < 0.86:
                    self.answer_survey(client, rng, email)
                else:
                    self.send_feedback(client, rng, email)
        except Exception as e:  # a bug in the soak itself: say so, and fail the run
            self.stats.error("soak worker crashed", f"worker {wid}: {type(e).__name__}: {e}")
            raise
        finally:
            client.close()

    def expect(self, answer, kind, path, statuses):
        if answer is not None and answer.status not in statuses:
            self.stats.error(f"HTTP {answer.status}",
                             f"{kind} {path} ({answer.where()}): {answer.status} {shown(answer.body, 300)}")
            return False
        return answer is not None

    def read(self, client, rng, email):
        cookie = self.sessions[email]
        which = rng.random()
        if which < 0.3:
            path = f"/api/orders?per_page={rng.choice([5, 20, 50])}"
        elif which < 0.7:
            path = f"/api/orders/{rng.choice(self.orders[email])}"
        elif which < 0.8:
            path = "/api/returns"
        elif which < 0.9:
            path = "/api/loyalty/me"
        else:
            path = "/api/feedback"
        self.expect(client.send("GET", path, cookie=cookie), "read", path, {200})

    def post_return(self, client, cookie, email, order, item, key, body):
        """Starts the return `body` under `key`; its number once acknowledged (and kept, to be
        looked up afterwards), else None (a refusal counted, or an error)."""
        answer = client.send("POST", "/api/returns", body, cookie=cookie,
                             headers={"Idempotency-Key": key}, write=True)
        if answer is None:
            return None
        if answer.status in (409, 422):
            self.stats.refused["return"][f"{answer.status} {answer.code()}"] += 1
            return None
        if not self.expect(answer, "return", "/api/returns", {201}):
            return None
        number = answer.json()["number"]
        with self.stats.lock:
            self.stats.returns[key] = {"number": number, "email": email, "order": order,
                                       "line": item["line"]}
        return number

    def start_return(self, client, rng, email):
        cookie = self.sessions[email]
        order = rng.choice(self.orders[email])
        path = f"/api/orders/{order}/returnable"
        answer = client.send("GET", path, cookie=cookie)
        if not self.expect(answer, "read", path, {200}):
            return
        lines = [i for i in answer.json()["items"]
                 if i["returnable_quantity"] > 0 and not i.get("not_returnable")]
        if not lines:
            return
        item = rng.choice(lines)
        key = str(uuid.uuid4())
        body = {"order": order, "lines": [{"line": item["line"], "quantity": 1}],
                "reason": rng.choice(REASONS), "resolution": rng.choice(["refund", "store_credit"]),
                "handover": rng.choice(["drop_off", "self_ship"])}
        number = self.post_return(client, cookie, email, order, item, key, body)
        if number is None:
            return
        # Most are cancelled at once, so their units can be returned again and returns keep
        # coming all through the phase; the rest go through the demo's steps to refunded.
        if rng.random() < CANCEL_SHARE:
            self.cancel(client, email, number)

    def reschedule_race(self, client, rng, email):
        """A return with a doorstep pickup, then its pickup moved to another slot, again and
        again, while the demo's mover hands the goods over: until the service says the return is
        locked (handed over), or RESCHEDULES times (one waiting for review is never collected)."""
        cookie = self.sessions[email]
        order = rng.choice(self.orders[email])
        path = f"/api/orders/{order}/returnable"
        answer = client.send("GET", path, cookie=cookie)
        if not self.expect(answer, "read", path, {200}):
            return
        offer = answer.json()
        lines = [i for i in offer["items"] if i["returnable_quantity"] > 0 and not i.get("not_returnable")]
        slots = [slot["starts_at"] for slot in offer["pickup"]["slots"]]
        if not lines or len(slots) < 2:
            return
        item = rng.choice(lines)
        key = str(uuid.uuid4())
        booked = rng.choice(slots)
        body = {"order": order, "lines": [{"line": item["line"], "quantity": 1}],
                "reason": rng.choice(REASONS), "resolution": "refund", "handover": "pickup",
                "pickup_slot": booked}
        number = self.post_return(client, cookie, email, order, item, key, body)
        if number is None:
            return
        path = f"/api/returns/{number}/reschedule"
        # Each time to a slot it never had: a move back would be told in the same words.
        had = {booked}
        for _ in range(RESCHEDULES):
            fresh = [s for s in slots if s not in had]
            if not fresh:
                return
            slot = rng.choice(fresh)
            had.add(slot)
            asked = [slot, False]
            with self.stats.lock:
                self.stats.reschedules[number].append(asked)
            answer = client.send("POST", path, {"pickup_slot": slot}, cookie=cookie, write=True)
            if answer is None:
                return
            if answer.status in (409, 422):
                self.stats.refused["reschedule"][f"{answer.status} {answer.code()}"] += 1
                if answer.code() == "return_locked":
                    return
                continue
            if not self.expect(answer, "reschedule", path, {200}):
                return
            moved = answer.json()
            seen = f"POST {path} ({answer.where()}) to {slot} answered 200 with {shown(answer.body, 400)}"
            with self.stats.lock:
                asked[1] = True
            if (moved.get("pickup") or {}).get("starts_at") != slot:
                self.stats.anomaly(seen)
            elif moved["status"] not in ("pickup_scheduled", "pending_review", "approved"):
                # The answer is read after the move committed, so the mover may have handed the
                # goods over since: evidence; the outbox says which came first.
                with self.stats.lock:
                    self.stats.late_moves.append(seen)
            time.sleep(rng.uniform(0, 0.15))

    def cancel(self, client, email, number):
        path = f"/api/returns/{number}/cancel"
        answer = client.send("POST", path, cookie=self.sessions[email], write=True)
        if answer is None:
            return
        if answer.status in (409, 422):
            self.stats.refused["cancel"][f"{answer.status} {answer.code()}"] += 1
            return
        if not self.expect(answer, "cancel", path, {200}):
            return
        status = answer.json()["status"]
        with self.stats.lock:
            # Acknowledged: the contract's 200 is "the return, cancelled; its units can be
            # returned again". The database decides whether it was (lost otherwise); an answer
            # that shows another status is kept as evidence.
            self.stats.cancels[number] = email
            if status != "cancelled":
                self.stats.uncancelled.append(
                    f"POST {path} ({answer.where()}) answered 200 with the return in status {status!r}: "
                    f"{shown(answer.body, 400)}")

    def answer_survey(self, client, rng, email):
        answer = client.send("POST", "/api/dev/survey-invitations",
                             {"email": email, "touchpoint": "delivery"}, write=True)
        if not self.expect(answer, "survey", "/api/dev/survey-invitations", {201}):
            return
        token = answer.json()["token"]
        invitation = int(token.split(".")[0])
        path = f"/api/surveys/{token}"
        if not self.expect(client.send("GET", path), "read", "/api/surveys/{token}", {200}):
            return
        rid = "soak" + uuid.uuid4().hex
        score = rng.choice([4, 5])
        comment = f"soak survey {rid}"
        with self.stats.lock:
            self.stats.attempted_surveys.add(rid)
        # As the page does: the one-tap score first, then the comment and "finished".
        for body in ({"response_id": rid, "answers": [{"question": "score", "value": {"score": score}}],
                      "finished": False},
                     {"response_id": rid, "answers": [{"question": "comment", "value": {"text": comment}}],
                      "finished": True}):
            answer = client.send("PUT", path + "/response", body, write=True)
            if answer is None:
                return
            if answer.status != 200:
                self.stats.refused["survey"][f"{answer.status} {answer.code()}"] += 1
                self.stats.anomaly(f"PUT /api/surveys/{token}/response ({rid}, {answer.where()}) refused: "
                                   f"{answer.status} {shown(answer.body, 300)}")
                return
        stored = answer.json()
        if not stored.get("finished_at"):
            self.stats.anomaly(f"survey response {rid} answered without finished_at: {stored}")
        with self.stats.lock:
            self.stats.surveys[rid] = {"invitation": invitation, "score": score, "comment": comment}

    def send_feedback(self, client, rng, email):
        fid = "soak" + uuid.uuid4().hex
        text = f"soak feedback {fid}"
        body = {"id": fid, "category": rng.choice(["problem", "idea", "praise", "other"]), "text": text}
        signed_in = rng.random() < 0.5
        with self.stats.lock:
            self.stats.attempted_feedback.add(fid)
        answer = client.send("POST", "/api/feedback", body,
                             cookie=self.sessions[email] if signed_in else None, write=True)
        if answer is None:
            return
        if answer.status not in (200, 201):
            self.stats.refused["feedback"][f"{answer.status} {answer.code()}"] += 1
            self.stats.anomaly(f"POST /api/feedback ({fid}, {answer.where()}) refused: "
                               f"{answer.status} {shown(answer.body, 300)}")
            return
        with self.stats.lock:
            self.stats.feedback[fid] = text

    def killer(self, t0):
        try:
            self.kill_loop(t0)
        except Exception as e:
            self.stats.error("restart failed", f"{type(e).__name__}: {e}")

    def kill_loop(self, t0):
        k = 0
        while True:
            k += 1
            at = t0 + k * self.args.kill_every
            if at >= t0 + self.args.secs - 1:
                return
            while time.time() < at:
                if self.stop.wait(min(0.2, max(0, at - time.time()))):
                    return
            victim = self.instances[(k - 1) % len(self.instances)]
            killed_at = time.time()
            victim.kill9()
            victim.start()
            victim.wait_ready()
            back = time.time() - killed_at
            self.kill_log.append((round(killed_at - t0, 1), victim.label, round(back, 2)))
            log(f"  kill -9 {victim.label} at +{killed_at - t0:.1f} s, serving again after {back:.2f} s")

    def run(self):
        log(f"{self.backend} {self.name}: {len(self.instances)} instance(s), {self.args.workers} workers, "
            f"{self.args.secs} s" + (f", kill -9 every {self.args.kill_every} s" if self.kills else ""))
        self.start()
        t0 = time.time()
        threads = [threading.Thread(target=self.worker, args=(w,), daemon=True)
                   for w in range(self.args.workers)]
        killer = threading.Thread(target=self.killer, args=(t0,), daemon=True) if self.kills else None
        for t in threads:
            t.start()
        if killer:
            killer.start()
        while time.time() < t0 + self.args.secs:
            time.sleep(0.2)
        self.stop.set()
        for t in threads:
            t.join(GIVE_UP_SECS + 10)
        if killer:
            killer.join(90)
        self.elapsed = time.time() - t0
        self.settle()
        for inst in self.instances:
            inst.stop()
        if self.args.self_test:
            self.tamper()
        self.verify()

    def tamper(self):
        """--self-test: spoils the database the way a broken server would, so that every check
        must see it: a key lost (and so a return without its key), a cancel undone, a survey answer
        changed, a feedback message changed and another stored twice, an outbox message sent twice,
        a return's messages gone, a rescheduled pickup not where it was moved, a pickup moved after
        its goods were handed over."""
        s, q = self.stats, self.db.query
        returns, cancels = list(s.returns.items()), list(s.cancels)
        if len(returns) < 2 or not cancels or not s.surveys or len(s.feedback) < 2:
            raise RuntimeError("--self-test: too few acknowledged writes to spoil")
        key = returns[0][0]
        number = next(t["number"] for k, t in returns[1:] if t["number"] not in cancels)
        rid = next(iter(s.surveys))
        first, second = list(s.feedback)[:2]
        handed_over = {n for (n,) in q("SELECT number FROM returns WHERE status IN ('picked_up', 'received', 'refunded')")}
        moved = [n for n, asked in s.reschedules.items() if n != number and any(ok for _, ok in asked)]
        late = next((n for n in moved if n in handed_over), None)
        elsewhere = next((n for n in moved if n != late), None)
        if late is None or elsewhere is None:
            raise RuntimeError("--self-test: too few pickups rescheduled, and handed over, to spoil")
        to = next(t["email"] for t in s.returns.values() if t["number"] == late)
        for sql in [
            f"UPDATE returns SET pickup_starts_at = pickup_starts_at + 60 WHERE number = '{elsewhere}'",
            "INSERT INTO outbox (recipient, subject, body, created_at) VALUES "
            f"('{to}', 'Portico 退货 {late} / Your return {late}', 'your return {late} {TOLD_MOVED}.', 0)",
            f"DELETE FROM idempotency_keys WHERE idempotency_key = '{key}'",
            f"UPDATE returns SET status = 'approved' WHERE number = '{cancels[0]}'",
            "UPDATE survey_answers SET value = '{\"text\": \"spoilt\"}' WHERE question = 'comment' AND "
            f"response_id = (SELECT id FROM survey_responses WHERE response_id = '{rid}')",
            f"UPDATE feedback_messages SET text = text || ' spoilt' WHERE client_id = '{first}'",
            "INSERT INTO feedback_messages (client_id, fingerprint, customer_id, category, text, order_id, "
            "created_at, status, partner_id, rating) SELECT client_id || 'x', fingerprint, customer_id, category, "
            f"text, order_id, created_at, status, partner_id, rating FROM feedback_messages WHERE client_id = '{second}'",
            "INSERT INTO outbox (recipient, subject, body, created_at) SELECT recipient, subject, body, created_at "
            f"FROM outbox WHERE id = (SELECT MAX(id) FROM outbox WHERE body NOT LIKE '%{TOLD_MOVED}%')",
            f"DELETE FROM outbox WHERE subject LIKE '%Your return {number}%'",
        ]:
            self.db.execute(sql)

    def settle(self):
        """Waits (up to 15 s) for queued messages to be delivered, so the outbox can be judged."""
        deadline = time.time() + 15
        while time.time() < deadline:
            if int(self.db.query(WAITING)[0][0]) == 0:
                self.notices_left = 0
                return
            time.sleep(0.25)
        self.notices_left = int(self.db.query(WAITING)[0][0])

    # -- what the database says ----------------------------------------------------------------

    def verify(self):
        s = self.stats
        q = self.db.query
        acked = {"return": len(s.returns), "cancel": len(s.cancels), "reschedule": 0,
                 "survey": len(s.surveys), "feedback": len(s.feedback)}
        found = dict.fromkeys(WRITE_KINDS, 0)
        lost = {k: [] for k in WRITE_KINDS}
        dups = {k: [] for k in WRITE_KINDS}

        # Returns: the key, the return it names, the number answered.
        keyed = collections.defaultdict(list)
        for key, number, status in q("SELECT k.idempotency_key, r.number, r.status FROM idempotency_keys k "
                                     "JOIN returns r ON r.id = k.return_id"):
            keyed[key].append(number)
        for key, told in s.returns.items():
            if told["number"] in keyed.get(key, []):
                found["return"] += 1
            else:
                lost["return"].append(f"key {key}: answered {told['number']}, the database has {keyed.get(key)}")
        for key, numbers in keyed.items():
            if len(numbers) > 1:
                dups["return"].append(f"key {key}: {len(numbers)} rows ({numbers})")
        for (number,) in q(f"SELECT r.number FROM returns r WHERE r.id > {self.baseline['returns']} "
                           "AND NOT EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.return_id = r.id)"):
            dups["return"].append(f"return {number} made without its key (a second return for one request?)")
        for return_id, n in q("SELECT return_id, COUNT(*) FROM idempotency_keys GROUP BY return_id HAVING COUNT(*) > 1"):
            dups["return"].append(f"return id {return_id} named by {n} keys")
        for order, line, bought, taken in q(
                "SELECT o.number, i.position + 1, i.quantity, CAST(SUM(ri.quantity) AS BIGINT) FROM return_items ri "
                "JOIN returns r ON r.id = ri.return_id JOIN order_items i ON i.id = ri.order_item_id "
                "JOIN orders o ON o.id = i.order_id WHERE r.status NOT IN ('cancelled', 'rejected') "
                "GROUP BY o.number, i.id, i.position, i.quantity HAVING SUM(ri.quantity) > i.quantity"):
            dups["return"].append(f"{order} line {line}: {taken} units under way or back, {bought} bought")

        # Cancels: the return is cancelled.
        statuses = dict(q(f"SELECT number, status FROM returns WHERE id > {self.baseline['returns']}"))
        for number in s.cancels:
            if statuses.get(number) == "cancelled":
                found["cancel"] += 1
            else:
                lost["cancel"].append(f"{number}: cancel answered, status in the database {statuses.get(number)!r}")

        # Surveys: the response, finished, with both answers.
        rows = collections.defaultdict(lambda: {"answers": {}})
        for rid, invitation, finished, question, value in q(
                "SELECT r.response_id, r.invitation_id, CASE WHEN r.finished_at IS NULL THEN 0 ELSE 1 END, "
                "a.question, a.value FROM survey_responses r LEFT JOIN survey_answers a ON a.response_id = r.id "
                "WHERE r.response_id LIKE 'soak%'"):
            row = rows[rid]
            row["invitation"], row["finished"] = int(invitation), finished == "1"
            if question is not None:
                if question in row["answers"]:
                    dups["survey"].append(f"response {rid}: question {question} stored twice")
                row["answers"][question] = json.loads(value)
        for rid, told in s.surveys.items():
            row = rows.get(rid)
            want = {"score": {"score": told["score"]}, "comment": {"text": told["comment"]}}
            if row and row["invitation"] == told["invitation"] and row["finished"] and row["answers"] == want:
                found["survey"] += 1
            else:
                lost["survey"].append(f"response {rid}: told {want} for invitation {told['invitation']}, stored {row}")
        for invitation, n in q("SELECT invitation_id, COUNT(*) FROM survey_responses WHERE invitation_id IS NOT NULL "
                               "GROUP BY invitation_id HAVING COUNT(*) > 1"):
            dups["survey"].append(f"invitation {invitation}: {n} responses")
        for rid, n in q("SELECT response_id, COUNT(*) FROM survey_responses GROUP BY response_id HAVING COUNT(*) > 1"):
            dups["survey"].append(f"response id {rid}: {n} rows")

        # Feedback: the message under its id, once.
        stored = collections.defaultdict(list)
        for fid, text in q("SELECT client_id, text FROM feedback_messages WHERE text LIKE 'soak feedback %'"):
            stored[fid].append(text)
        by_text = collections.Counter(t for texts in stored.values() for t in texts)
        for fid, text in s.feedback.items():
            if stored.get(fid) == [text]:
                found["feedback"] += 1
            else:
                lost["feedback"].append(f"{fid}: stored {stored.get(fid)}")
        for fid, texts in stored.items():
            if len(texts) > 1:
                dups["feedback"].append(f"id {fid}: {len(texts)} rows")
        for text, n in by_text.items():
            if n > 1:
                dups["feedback"].append(f"{text!r} stored {n} times")

        # The outbox: every acknowledged return and cancel told; nothing told twice.
        outbox = q(f"SELECT id, recipient, subject, body FROM outbox WHERE id > {self.baseline['outbox']}")
        about = collections.defaultdict(list)
        for _, _, subject, body in outbox:
            m = re.search(r"Your return (R\d{8})", subject)
            if m:
                about[m.group(1)].append(body)
        missing = []
        for key, told in s.returns.items():
            if not about.get(told["number"]):
                missing.append(f"return {told['number']} (key {key}): no message in the outbox")
        for number in s.cancels:
            if statuses.get(number) != "cancelled":
                continue  # a cancel lost is counted as lost, not again here
            if not any("is cancelled" in b for b in about.get(number, [])):
                missing.append(f"return {number}: cancelled, no 'is cancelled' message in the outbox")
        # Reschedules: the return's pickup is the slot last acknowledged (or one asked after it,
        # whose answer was lost), and its pickup was never moved after its goods were handed over
        # (the outbox tells a return's moves in the order they were committed).
        pickups = dict(q(f"SELECT number, pickup_starts_at FROM returns WHERE id > {self.baseline['returns']}"))
        moves = collections.defaultdict(list)
        for mid, _, subject, body in sorted(outbox, key=lambda m: int(m[0])):
            m = re.search(r"Your return (R\d{8})", subject)
            if m and m.group(1) in s.reschedules:
                moves[m.group(1)].append((int(mid), TOLD_MOVED in body, TOLD_HANDED_OVER in body))
        late = []
        for number, asked in s.reschedules.items():
            told = moves.get(number, [])
            handed = next((mid for mid, _, handed_over in told if handed_over), None)
            after = [mid for mid, moved, _ in told if moved and handed is not None and mid > handed]
            problems = []
            if after:
                late.append(number)
                problems.append(f"{number}: its pickup moved (outbox {after}) after its goods were handed over "
                                f"(outbox {handed})")
            acks = [i for i, (_, ok) in enumerate(asked) if ok]
            if acks:
                stored = pickups.get(number)
                may_be = {unix(slot) for slot, _ in asked[acks[-1]:]}
                if stored is None or int(stored) not in may_be:
                    problems.append(f"{number}: rescheduled to {asked[acks[-1]][0]} (acknowledged), the database "
                                    f"has {stored and rfc3339(int(stored))}")
            acked["reschedule"] += len(acks)
            if problems:
                lost["reschedule"].extend(problems)
            else:
                found["reschedule"] += len(acks)

        # A return's link carries an expiry made from the time of sending: the same event sent
        # twice differs only there, so it is left out of the comparison.
        # A pickup's move is told with the window the return has when the message goes out, so
        # two moves told together read alike: those are counted instead, at most one message per
        # reschedule asked for.
        groups = collections.defaultdict(list)
        for mid, recipient, subject, body in outbox:
            if TOLD_MOVED not in body:
                groups[(recipient, subject, re.sub(r"\?t=[^\s]+", "?t=…", body))].append(int(mid))
        twice = [(k, ids) for k, ids in groups.items() if len(ids) > 1]
        for number, told in moves.items():
            ids = [mid for mid, moved, _ in told if moved]
            if len(ids) > len(s.reschedules[number]):
                twice.append(((number, f"{len(s.reschedules[number])} reschedules asked for", TOLD_MOVED), ids))

        # The instances' own word on their periodic jobs: each committed run is logged with its
        # slot; one (job, slot) run twice, on one instance or two, is a job run twice.
        runs = collections.defaultdict(list)
        for inst in self.instances:
            with open(inst.log_path, errors="replace") as f:
                for line in f:
                    m = re.search(r'portico_server::jobs: ran job="?(\w+)"? slot=(\d+)', strip_ansi(line))
                    if m:
                        runs[(m.group(1), int(m.group(2)))].append(inst.label)
        runs_twice = [(job, slot, who) for (job, slot), who in sorted(runs.items()) if len(who) > 1]

        # What became of each return a cancel was answered 200 for without cancelling it.
        history = []
        for number in [n for n in s.cancels if statuses.get(n) != "cancelled"][:5]:
            told = [re.search(rf"your return {number} ([^.\n]+)", b) for _, _, subj, b in outbox if number in subj]
            final = statuses.get(number)
            history.append(f"{number}: now {final!r} in the database; its messages: "
                           + " -> ".join(m.group(1) for m in told if m))

        self.result = {
            "backend": self.backend, "phase": self.name, "instances": len(self.instances),
            "secs": round(self.elapsed), "kills": len(self.kill_log), "kill_log": self.kill_log,
            "requests": s.requests, "errors": len(s.errors) + len(s.anomalies), "at_kill": s.at_kill,
            "late_told": len(late),
            "at_kill_by": dict(s.at_kill_by.most_common()),
            "acked": acked, "found": found, "lost": {k: len(v) for k, v in lost.items()},
            "dups": {k: len(v) for k, v in dups.items()},
            "jobs_twice": sum(len(ids) - 1 for _, ids in twice) + sum(len(w) - 1 for _, _, w in runs_twice),
            "job_runs": collections.Counter(job for job, _ in runs),
            "messages_missing": len(missing), "notices_left": self.notices_left,
            "refused": {k: dict(v) for k, v in s.refused.items()},
            "statuses": {str(k): v for k, v in sorted(s.statuses.items(), key=lambda kv: str(kv[0]))},
            "rps": round(s.requests / self.elapsed) if self.elapsed else 0,
            "p50_ms": percentile(s.latencies, 50), "p99_ms": percentile(s.latencies, 99),
            "evidence": {
                "errors": [f"{w}: {d}" for w, d in s.errors[:10]],
                "anomalies": s.anomalies[:10],
                "cancels answered 200 without cancelling": s.uncancelled[:5],
                "reschedules answered 200 showing the goods handed over (since the move?)": s.late_moves[:5],
                "what became of those returns": history,
                "job slots run twice (server logs)": [f"{job} slot {slot}: ran on {who}" for job, slot, who in runs_twice[:5]],
                "at_kill": s.at_kill_examples,
                "lost": [x for k in WRITE_KINDS for x in lost[k][:5]],
                "duplicates": [x for k in WRITE_KINDS for x in dups[k][:5]],
                "messages_missing": missing[:5],
                "sent_twice": [f"to {k[0]}, {k[1]!r}: outbox ids {ids}: {k[2][:160]!r}" for k, ids in twice[:5]],
            },
        }
        return self.result

    def log_lines(self, pattern=r" (WARN|ERROR) ", limit=15):
        """The servers' warnings and errors, as evidence."""
        found = []
        for inst in self.instances:
            try:
                with open(inst.log_path, errors="replace") as f:
                    for line in f:
                        plain = strip_ansi(line.rstrip())
                        if re.search(pattern, plain):
                            found.append(f"{inst.label}: {plain}")
            except OSError:
                pass
        return found[:limit], len(found)

    def cleanup(self):
        self.stop.set()
        for inst in self.instances:
            try:
                inst.stop()
            except Exception as e:  # keep cleaning
                log(f"stopping {inst.label}: {e}")
        if self.backend == "postgres":
            try:
                self.db.drop()
            except Exception as e:
                log(f"dropping {self.db.name}: {e}")
        shutil.rmtree(os.path.join(self.dir, "data"), ignore_errors=True)


def unix(rfc):
    """Unix seconds of a UTC time as the service writes it (`2027-03-02T01:00:00Z`)."""
    return calendar.timegm(time.strptime(rfc, "%Y-%m-%dT%H:%M:%SZ"))


def rfc3339(unix_secs):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix_secs))


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000, 1)


# ---------------------------------------------------------------------------------------------
# PostgreSQL: the soak's own private server


class PgServer:
    def __init__(self):
        self.env = dict(os.environ)
        self.port = self.env.setdefault("PORTICO_PG_PORT", "25433")
        self.dir = self.env.setdefault("PORTICO_PG_DIR", f"/tmp/portico-pg-{self.port}")
        self.started = False
        self.made = False

    def script(self, *args):
        return subprocess.run([os.path.join(ROOT, "scripts", "postgres.sh"), *args], env=self.env,
                              check=True, capture_output=True, text=True).stdout.strip()

    def start(self):
        self.made = not os.path.exists(os.path.join(self.dir, "PG_VERSION"))
        running = os.path.exists(os.path.join(self.dir, "postmaster.pid"))
        if not running:
            self.script("start")
            self.started = True
        self.url = self.script("url")
        log(f"PostgreSQL at {self.url}" + (" (started for the soak)" if self.started else " (already running)"))

    def stop(self):
        if self.started:
            self.script("stop")
            if self.made:
                shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Delivery: sign-in codes through a real SMTP server, across kill -9


class DeliveryPhase:
    """Sign-in codes to the demo customers sent through a real SMTP server (tests/smtp/sink.py,
    aiosmtpd from .venv) while the instances are killed with kill -9 and the SMTP server now and
    then refuses (451) a few messages: every request answered 202 must arrive at the server, as
    its notice's Message-ID, and none may be given up. A message handed to the SMTP server by an
    instance killed before it marked it sent is sent again (at least once): it arrives twice with
    one Message-ID, counted apart ("again after a kill")."""

    def __init__(self, args, backend, instances_n, run_dir, pg_server_url):
        self.args, self.backend = args, backend
        self.dir = os.path.join(run_dir, f"{backend}-delivery")
        self.mail = os.path.join(self.dir, "mail")
        os.makedirs(self.mail)
        self.sink = subprocess.Popen(
            [os.path.join(ROOT, ".venv", "bin", "python"), os.path.join(ROOT, "tests", "smtp", "sink.py"),
             "--dir", self.mail], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            start_new_session=True)
        smtp_port = int(self.sink.stdout.readline())
        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTICO_")}
        env.update(PORTICO_DEMO="1", PORTICO_DEMO_ADVANCE_SECS="0",
                   PORTICO_RATE_LIMIT_FACTOR=str(args.rate_limit_factor),
                   PORTICO_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}",
                   PORTICO_MAIL_FROM="Portico <no-reply@soak.test>",
                   PORTICO_DATA_DIR=os.path.join(self.dir, "data"),
                   PORTICO_STATIC_DIR=os.path.join(ROOT, "dist"),
                   RUST_LOG=os.environ.get("RUST_LOG", "info"))
        if backend == "postgres":
            self.db = PgDatabase(pg_server_url, f"portico_soak_{os.getpid()}_delivery")
            env["PORTICO_DATABASE_URL"] = self.db.url
        else:
            self.db = SqliteDatabase(os.path.join(self.dir, "data", "portico.db"))
        self.instances = [
            Instance(f"{backend}-delivery-{chr(ord('a') + i)}", args.binary, env,
                     os.path.join(self.dir, f"server-{chr(ord('a') + i)}.log"))
            for i in range(instances_n)]
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.tickets, self.requests, self.errors, self.at_kill, self.kills = [], 0, [], 0, 0

    def ask(self):
        up = [i for i in self.instances if i.up]
        if not up:
            time.sleep(0.02)
            return
        inst = random.choice(up)
        generation = inst.generation
        body = json.dumps({"contact": random.choice(CUSTOMERS)})
        try:
            conn = http.client.HTTPConnection("127.0.0.1", inst.port, timeout=30)
            conn.request("POST", "/api/auth/code", body, {"content-type": "application/json"})
            answer = conn.getresponse()
            data = answer.read()
            conn.close()
        except (OSError, http.client.HTTPException) as e:
            with self.lock:
                if inst.generation != generation or not inst.up:
                    self.at_kill += 1
                else:
                    self.errors.append(f"POST /api/auth/code: {e}")
            return
        with self.lock:
            self.requests += 1
            if answer.status == 202:
                self.tickets.append(json.loads(data)["delivery"])
            else:
                self.errors.append(f"POST /api/auth/code: {answer.status} {shown(data, 200)}")

    def run(self):
        log(f"phase {self.backend}-delivery: {len(self.instances)} instance(s), SMTP sink, "
            f"kill -9 every {self.args.kill_every} s, {self.args.secs} s")
        if self.backend == "postgres":
            self.db.create()
        for inst in self.instances:
            inst.start()
        for inst in self.instances:
            inst.wait_ready()
        workers = [threading.Thread(target=self.work, daemon=True) for _ in range(self.args.workers)]
        for w in workers:
            w.start()
        t0, turn = time.time(), 0
        while time.time() - t0 < self.args.secs:
            time.sleep(self.args.kill_every)
            if time.time() - t0 >= self.args.secs:
                break
            # Now and then the SMTP server refuses a few messages: they are tried again.
            with open(os.path.join(self.mail, "refuse"), "w") as f:
                f.write("3")
            inst = self.instances[turn % len(self.instances)]
            turn += 1
            inst.kill9()
            self.kills += 1
            inst.start()
            inst.wait_ready()
        self.stop.set()
        for w in workers:
            w.join()
        # Retries wait 5 s, 10 s, ...; a message claimed by a killed instance waits for its
        # claim's lease (60 s) to end: give the queue time to drain.
        deadline = time.time() + 150
        while time.time() < deadline and int(self.db.query(WAITING)[0][0]) > 0:
            time.sleep(0.25)
        self.verify()

    def work(self):
        # Paced (about 20 codes a second with 6 workers): what is measured is whether each
        # message arrives, not how many the SMTP server takes.
        while not self.stop.is_set():
            self.ask()
            self.stop.wait(random.uniform(0.1, 0.5))

    def verify(self):
        rows = self.db.query("SELECT ticket, id, status FROM notices WHERE ticket IS NOT NULL")
        notices = {ticket: (int(nid), status) for ticket, nid, status in rows}
        arrived = collections.Counter()
        for name in os.listdir(self.mail):
            if name.endswith(".eml"):
                with open(os.path.join(self.mail, name), "rb") as f:
                    found = re.search(rb"^Message-ID: <notice-(\d+)@soak\.test>", f.read(), re.M | re.I)
                if found:
                    arrived[int(found.group(1))] += 1
        missing = [t for t in self.tickets if t not in notices or notices[t][0] not in arrived]
        failed = [t for t in self.tickets if t in notices and notices[t][1] == "failed"]
        again = sum(n - 1 for n in arrived.values() if n > 1)
        self.result = {
            "backend": self.backend, "instances": len(self.instances), "requests": self.requests,
            "errors": len(self.errors), "error_samples": self.errors[:5], "at_kill": self.at_kill,
            "kills": self.kills, "acknowledged": len(self.tickets), "arrived": len(arrived),
            "missing": len(missing), "failed": len(failed), "again": again,
            "waiting": int(self.db.query(WAITING)[0][0]),
        }

    def cleanup(self):
        for inst in self.instances:
            inst.stop()
        if self.sink.poll() is None:
            self.sink.kill()
            self.sink.wait()
        if self.backend == "postgres":
            try:
                self.db.drop()
            except Exception as e:
                log(f"dropping {self.db.name}: {e}")


def delivery_failed(r):
    return r["errors"] or r["missing"] or r["failed"] or r["waiting"]


def delivery_table(results):
    head = ["backend", "instances", "kill -9", "code requests answered 202", "arrived", "missing",
            "given up", "still queued", "again after a kill (same Message-ID)", "errors", "in flight at a kill"]
    rows = [[r["backend"], r["instances"], r["kills"], r["acknowledged"], r["arrived"], r["missing"],
             r["failed"], r["waiting"], r["again"], r["errors"], r["at_kill"]] for r in results]
    return "\n".join("| " + " | ".join(str(c) for c in row) + " |"
                     for row in [head, ["---"] * len(head)] + rows)


# ---------------------------------------------------------------------------------------------
# The report


def table(results):
    head = ["backend", "phase", "instances", "requests", "errors", "in flight at a kill", "acknowledged writes",
            "found", "lost", "duplicates", "jobs run twice", "messages missing"]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + " |"]
    for r in results:
        cells = [r["backend"], r["phase"] + (f" ({r['kills']} kills)" if r["kills"] else ""), r["instances"],
                 r["requests"], r["errors"], r["at_kill"], sum(r["acked"].values()), sum(r["found"].values()),
                 sum(r["lost"].values()), sum(r["dups"].values()), r["jobs_twice"], r["messages_missing"]]
        lines.append("| " + " | ".join(f"{c:,}" if isinstance(c, int) else str(c) for c in cells) + " |")
    return "\n".join(lines)


def kinds_table(results):
    lines = ["| backend | phase | kind | acknowledged | found | lost | duplicates | refused (an answer) |",
             "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |"]
    for r in results:
        for k in WRITE_KINDS:
            refused = ", ".join(f"{code} x{n}" for code, n in sorted(r["refused"][k].items())) or "-"
            lines.append(f"| {r['backend']} | {r['phase']} | {k} | {r['acked'][k]:,} | {r['found'][k]:,} | "
                         f"{r['lost'][k]} | {r['dups'][k]} | {refused} |")
    return "\n".join(lines)


def failed(r):
    return r["errors"] or sum(r["lost"].values()) or sum(r["dups"].values()) or r["jobs_twice"] \
        or r["messages_missing"]


def details(results, phases):
    out = []
    for r, phase in zip(results, phases):
        out.append(f"- {r['backend']} {r['phase']}: {r['secs']} s, {r['rps']} req/s, median {r['p50_ms']} ms, "
                   f"p99 {r['p99_ms']} ms; answers {r['statuses']}; notices still queued at the end: {r['notices_left']}; "
                   f"pickups moved after their hand-over: {r['late_told']}; "
                   f"job runs logged: {dict(r['job_runs']) or 'none (is the jobs log line gone?)'}")
        if r["kill_log"]:
            out.append("  kills (at +s, instance, serving again after s): "
                       + "; ".join(f"+{t} {who} {back}" for t, who, back in r["kill_log"]))
            out.append("  in flight at a kill, sent again elsewhere: "
                       + (", ".join(f"{what} {n}" for what, n in r["at_kill_by"].items()) or "none"))
        for what, items in r["evidence"].items():
            if items:
                out.append(f"  {what}:")
                out.extend(f"    {x}" for x in items)
        if failed(r):
            lines, total = phase.log_lines()
            if lines:
                out.append(f"  server warnings/errors ({total} lines, first {len(lines)}):")
                out.extend(f"    {x}" for x in lines)
    return "\n".join(out)


def self_test_verdict(results):
    """Every spoilt thing must have been seen, and no error besides."""
    ok = True
    for r in results:
        seen = {f"lost {k}": r["lost"][k] for k in WRITE_KINDS}
        seen.update({"duplicate return": r["dups"]["return"], "duplicate feedback": r["dups"]["feedback"],
                     "pickup moved after the hand-over": r["late_told"],
                     "sent twice": r["jobs_twice"], "messages missing": r["messages_missing"]})
        missed = [what for what, n in seen.items() if not n]
        log(f"self-test {r['backend']} {r['phase']}: " + ", ".join(f"{w} {n}" for w, n in seen.items())
            + (f"; NOT SEEN: {', '.join(missed)}" if missed else "; every spoilt thing seen"))
        ok = ok and not missed and not r["errors"]
    return ok


def commit():
    try:
        short = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], check=True,
                               capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "crates"], check=True,
                               capture_output=True, text=True).stdout.strip()
        return short + (" + uncommitted server changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def record(results, phases, args, started, deliveries):
    bad = any(failed(r) for r in results) or any(delivery_failed(r) for r in deliveries)
    verdict = "FAILED" if bad else "passed"
    what = textwrap.fill(
        f"`make soak` ({os.path.basename(args.binary)}, server profile, loopback, this machine's "
        f"{os.cpu_count()} cores shared by the servers, PostgreSQL and the client): {args.workers} client "
        f"threads, {args.secs} s per phase, each request to an instance picked at random; reads (orders, "
        f"an order, returnable lines, returns, tier, feedback) 40%, returns (Idempotency-Key, a line the "
        f"eligibility endpoint says can go back; {CANCEL_SHARE:.0%} cancelled at once) 22%, a doorstep "
        f"pickup rescheduled up to {RESCHEDULES} times while the demo's steps hand it over 10%, survey answers "
        f"(invitation, open, score, then comment + finish, one client-made response id) 14%, feedback "
        f"(client-made id, guest or signed in) 14%; every write sent again with its key/id after any "
        f"failure until answered. Kill phases: `kill -9` every {args.kill_every} s, restarted at once. Demo "
        f"steps every {args.advance_secs} s, rate limits x{args.rate_limit_factor}. Then the database read "
        f"directly (psql / sqlite3). {verdict}, {time.time() - started:.0f} s in all.", 100)
    text = f"""

## {time.strftime('%Y-%m-%d', time.gmtime(started))} make soak (commit {commit()})

{what}

{table(results)}

Per kind ("found": in the database as answered; a refusal of a return or a cancel is an answer):

{kinds_table(results)}

```
{details(results, phases)}
```
"""
    if deliveries:
        text += f"""
Delivery (sign-in codes through a real SMTP server, tests/smtp/sink.py; `kill -9` every {args.kill_every} s;
the server refuses 3 messages with 451 at each kill): every code answered 202 must arrive, none given up.

{delivery_table(deliveries)}
"""
    with open(os.path.join(ROOT, "bench", "results.md"), "a") as f:
        f.write(text)


# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--secs", type=int, default=int(os.environ.get("SOAK_SECS", 60)))
    parser.add_argument("--kill-every", type=int, default=int(os.environ.get("SOAK_KILL_EVERY", 10)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("SOAK_WORKERS", 6)))
    parser.add_argument("--phases", default=os.environ.get(
        "SOAK_PHASES", "postgres-steady,postgres-kill,sqlite-kill,postgres-delivery,sqlite-delivery"))
    parser.add_argument("--advance-secs", type=int, default=2)
    parser.add_argument("--rate-limit-factor", type=int, default=1000)
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "server", "portico-server"))
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/results.md")
    parser.add_argument("--self-test", action="store_true",
                        help="spoil the database before the checks (one short phase per backend): passes "
                             "only if every check then fails; records nothing")
    args = parser.parse_args()
    if args.self_test:
        args.no_record = True
        args.secs, args.kill_every = min(args.secs, 12), min(args.kill_every, 5)
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"no server binary at {args.binary}: cargo build --profile server -p portico-server")

    def interrupted(signum, _frame):
        raise Interrupted(signal.Signals(signum).name)
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)

    started = time.time()
    run_dir = tempfile.mkdtemp(prefix="portico-soak-")
    pg = PgServer()
    phases, results, deliveries, ok, interrupted_by = [], [], [], False, None
    try:
        wanted = [p.strip() for p in args.phases.split(",") if p.strip()]
        if any(p.startswith("postgres") for p in wanted):
            pg.start()
        for spec in wanted:
            backend, name = spec.split("-", 1)
            if name == "delivery":
                delivery = DeliveryPhase(args, backend, 2 if backend == "postgres" else 1, run_dir,
                                         getattr(pg, "url", None))
                try:
                    delivery.run()
                finally:
                    delivery.cleanup()
                deliveries.append(delivery.result)
                r = delivery.result
                log(f"  {r['acknowledged']} codes acknowledged, {r['arrived']} arrived, {r['missing']} missing, "
                    f"{r['failed']} given up, {r['again']} again after a kill, {r['errors']} errors "
                    f"{r['error_samples']}")
                continue
            phase = Phase(args, backend, name, 2 if backend == "postgres" else 1, name == "kill",
                          run_dir, getattr(pg, "url", None))
            phases.append(phase)
            try:
                phase.run()
            finally:
                phase.cleanup()
            results.append(phase.result)
            r = phase.result
            log(f"  {r['requests']:,} requests, {r['errors']} errors, {r['at_kill']} in flight at a kill, "
                f"{sum(r['acked'].values())} writes acknowledged, {sum(r['found'].values())} found, "
                f"{sum(r['lost'].values())} lost, {sum(r['dups'].values())} duplicates, "
                f"{r['jobs_twice']} sent twice, {r['messages_missing']} messages missing")
        if results:
            print()
            print(table(results))
            print()
            print(kinds_table(results))
            print()
            print(details(results, phases))
        if deliveries:
            print()
            print(delivery_table(deliveries))
        print(f"\n{time.time() - started:.0f} s in all")
        if not args.no_record:
            record(results, phases, args, started, deliveries)
            log("appended to bench/results.md")
        ok = not any(failed(r) for r in results) and not any(delivery_failed(r) for r in deliveries)
        if args.self_test:
            ok = self_test_verdict(results)
    except Interrupted as e:
        log(f"interrupted ({e}): cleaning up")
        interrupted_by = e
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for phase in phases:
            phase.cleanup()
        try:
            pg.stop()
        except Exception as e:
            log(f"stopping PostgreSQL: {e}")
        if ok or interrupted_by:
            shutil.rmtree(run_dir, ignore_errors=True)
        else:
            log(f"server logs kept in {run_dir}")
    if interrupted_by:
        sys.exit(130)
    if not ok:
        log("FAILED")
        sys.exit(1)
    log("self-test passed: every check sees what it is for" if args.self_test else "passed")


if __name__ == "__main__":
    main()
