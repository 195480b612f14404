#!/usr/bin/python3
# zkbench's kazoo driver: kazoo's lock recipe, driven as zkbench drives its own (docs/drivers.md).
# The coordinator speaks JSON lines on stdin (prepare, go, window, stop, exit); this process answers on
# stdout (ready, progress, warm, done, failed) and records every client's events into the plan's event
# file (one line per event, CLOCK_MONOTONIC ns from time.monotonic_ns), never one message per event.
# It computes no figure: zkbench's measure layer reads the event file. One interpreter runs one share of
# the clients (the coordinator starts several), so the interpreter lock is not what is measured.
import json
import logging
import os
import random
import resource
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from kazoo.client import KazooClient
from kazoo.exceptions import BadVersionError, CancelledError, LockTimeout
from kazoo.protocol.states import KazooState
from kazoo.security import CREATOR_ALL_ACL


def run_identity(env=os.environ):
    """The run's identity, handed down in the environment as to zkbench's own load processes (ZKBENCH_AUTH,
    ZKBENCH_NODE_ACL), never in the plan: kazoo's auth_data and default ACL."""
    line = (env.get("ZKBENCH_AUTH") or "").strip()
    options = {}
    if line:
        scheme, _, rest = line.partition(":")
        if scheme != "digest":
            raise ValueError(f"the kazoo driver takes digest credentials only (ZKBENCH_AUTH is {scheme})")
        options["auth_data"] = [("digest", rest)]
    if env.get("ZKBENCH_NODE_ACL") == "creator":
        options["default_acl"] = CREATOR_ALL_ACL
    return options


IDENTITY = run_identity()


def new_client(hosts, session_timeout_s):
    """Every KazooClient the driver opens: the run's identity on each connection."""
    return KazooClient(hosts=hosts, timeout=session_timeout_s, **IDENTITY)

RECIPES = ("kazoo-lock",)
ELECTION_RECIPES = ("kazoo-election",)
WATCH_RECIPES = ("kazoo-datawatch",)
MEMBERSHIP_RECIPES = ("kazoo-party",)
EVERYONE_GONE = 9007199254740991  # "nobody left to wait for" in an armed report (JSON has no infinity)
ERROR_BACKOFF_S = 0.02
SAMPLE_NS = 10_000_000
now = time.monotonic_ns

_out_lock = threading.Lock()
_stdout = sys.stdout
sys.stdout = sys.stderr  # nothing but the protocol on stdout


def answer(msg):
    line = json.dumps(msg)
    with _out_lock:
        _stdout.write(line + "\n")
        _stdout.flush()


class EventLog:
    """The event file: buffered lines, written when the buffer fills and at the end."""

    def __init__(self, path):
        self._file = open(path, "w", buffering=1 << 20, encoding="utf-8")
        self._lock = threading.Lock()

    def add(self, kind, client, t, rest=None):
        line = f"{kind} {client} {t}\n" if rest is None else f"{kind} {client} {t} {rest}\n"
        with self._lock:
            self._file.write(line)

    def close(self):
        with self._lock:
            self._file.close()


class Window:
    """Absolute CLOCK_MONOTONIC ns; stop_at None: no set end (acquisitions mode)."""

    def __init__(self, w):
        self.start_at = int(w["startAt"])
        self.measure_from = int(w["measureFrom"])
        self.stop_at = None if w.get("stopAt") is None else int(w["stopAt"])
        self.pending = bool(w.get("pending", False))

    def contains(self, t):
        return not self.pending and t >= self.measure_from and (self.stop_at is None or t < self.stop_at)


def sleep_until(t):
    delay = (t - now()) / 1e9
    if delay > 0:
        time.sleep(delay)


def schedule_window(run, w):
    """A run's health from the measured window's start and its stop at the window's end, on a thread; a later
    window (schedule called again) supersedes it. A pending window is scheduled once it is decided."""
    if w.pending:
        return
    with run.lock:
        run.schedule_generation += 1
        generation = run.schedule_generation

    def go():
        sleep_until(w.measure_from)
        if generation != run.schedule_generation:
            return
        run.health.start()
        if w.stop_at is not None:
            sleep_until(w.stop_at)
            if generation == run.schedule_generation:
                run.stop()

    threading.Thread(target=go, name="schedule", daemon=True).start()


def start_all(clients, timeout_s):
    """Opens the sessions a few at a time (each start waits for its session), as a load process opens its own."""
    if not clients:
        return
    with ThreadPoolExecutor(max_workers=min(16, len(clients))) as pool:
        for f in [pool.submit(c.start, timeout=timeout_s) for c in clients]:
            f.result()


class Health:
    """How late a thread that sleeps 10 ms wakes (interpreter lock and scheduling), and this process's CPU."""

    def __init__(self):
        self.running = False
        self.delays = []
        self.cpu_start = 0
        self.wall_start = 0

    def start(self):
        if self.running:
            return
        self.running = True
        self.cpu_start = time.process_time_ns()
        self.wall_start = now()
        threading.Thread(target=self._sample, name="health", daemon=True).start()

    def _sample(self):
        while self.running:
            t0 = now()
            time.sleep(SAMPLE_NS / 1e9)
            self.delays.append(max(0, now() - t0 - SAMPLE_NS))

    def stop(self):
        started = self.running
        self.running = False
        d = sorted(self.delays)

        def pct(p):
            if not d:
                return 0
            i = max(0, min(len(d) - 1, -(-p * len(d) // 100) - 1))
            return d[int(i)] / 1e6

        return {
            "delayMs": {"p50": pct(50), "p99": pct(99), "max": (d[-1] / 1e6 if d else 0), "mean": (sum(d) / len(d) / 1e6 if d else 0), "samples": len(d)},
            "cpuNs": time.process_time_ns() - self.cpu_start if started else 0,
            "wallNs": now() - self.wall_start if started else 0,
            "rssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }


class Guard:
    """lock-failover's guard znode: each holder writes its fencing token (its lock node's czxid) with a
    compare-and-set on the guard's version, through a session of this process's own, as zkbench's Guard
    does (src/recipes/lock/fencing.ts); with fencing, a token older than the stored one is refused."""

    def __init__(self, client, path, fencing):
        self.client = client
        self.path = path
        self.fencing = fencing
        self.counts = {"writes": 0, "staleWrites": 0, "fencedRejections": 0}
        self._lock = threading.Lock()

    def _count(self, key):
        with self._lock:
            self.counts[key] += 1

    def write(self, token):
        """True when written, False when fenced."""
        while True:
            data, stat = self.client.retry(self.client.get, self.path)
            stored = int(data) if data else -1
            if stored > token and self.fencing:
                self._count("fencedRejections")
                return False
            try:
                self.client.retry(self.client.set, self.path, str(token).encode(), version=stat.version)
            except BadVersionError:
                continue  # someone wrote in between: read again
            self._count("writes")
            if stored > token:
                self._count("staleWrites")
            return True


class HoldOrders:
    """Holds announced to the coordinator; once armed, the next hold lasts until it says continue (it pauses this process meanwhile)."""

    def __init__(self):
        self.armed = False
        self.continued = 0
        self.cond = threading.Condition()

    def on_order(self, kind):
        with self.cond:
            if kind == "arm":
                self.armed = True
            elif kind == "disarm":
                self.armed = False
            else:
                self.continued += 1
                self.cond.notify_all()

    @staticmethod
    def announce(kind, client, waiting=False):
        data = {"kind": kind, "client": client}
        if waiting:
            data["waiting"] = True
        answer({"type": "scenario", "data": data})

    def holding(self, client, hold_ms, stopped):
        with self.cond:
            armed = self.armed
            self.armed = False
            seen = self.continued
            self.announce("held", client, armed)
        if not armed:
            if hold_ms > 0:
                time.sleep(hold_ms / 1000)
            return
        with self.cond:
            while self.continued == seen and not stopped.is_set():
                self.cond.wait(0.1)


class QueueSignallingLock:
    """kazoo's Lock, telling once its contender is in line (its node created, about to look for a predecessor)."""

    @staticmethod
    def make(client, path, on_queued):
        lock = client.Lock(path)
        inner = lock._get_predecessor

        def get_predecessor(node):
            cb = on_queued[0]
            if cb is not None:
                cb()
            return inner(node)

        lock._get_predecessor = get_predecessor
        return lock


class Run:
    def __init__(self, plan):
        self.plan = plan
        self.recipe = plan["recipe"]
        if self.recipe not in RECIPES:
            raise ValueError(f'the kazoo driver has no recipe "{self.recipe}"; it has {", ".join(RECIPES)}')
        self.lock_path = plan["lockPath"]
        self.client_ids = list(plan["clientIds"])
        self.hold_ms = plan["holdMs"]
        self.acquire_timeout_ms = plan["acquireTimeoutMs"]
        self.give_up_share = plan["giveUpShare"]
        self.give_up_after_ms = plan["giveUpAfterMs"]
        self.acquisitions = plan.get("acquisitions")
        self.seed = plan["seed"]
        self.warmup_until_queued = bool(plan.get("warmupUntilQueued", False))
        self.events = EventLog(plan["eventsFile"])
        self.clients = []
        self.completed = 0
        self.measured = 0
        self.measured_per_client = [0] * len(self.client_ids)
        self.session_events = 0
        self.expired = 0
        self.not_queued = set(self.client_ids)
        self.lock = threading.Lock()
        self.window = None
        self.stopped = threading.Event()
        self.threads = []
        self.waiting_locks = {}
        self.health = Health()
        self.schedule_generation = 0
        self.guard = None
        self.holds = HoldOrders() if plan.get("announceHolds") else None

    def open(self):
        connect = self.plan["connect"]
        timeout_s = self.plan["sessionTimeoutMs"] / 1000
        connect_s = self.plan.get("connectTimeoutMs", 30000) / 1000
        for cid in self.client_ids:
            c = new_client(connect, timeout_s)
            c.add_listener(self._session_listener(cid))
            self.clients.append(c)
        guard = self.plan.get("guard")
        if guard:
            session = new_client(guard["connect"], guard["sessionTimeoutMs"] / 1000)
            self.guard = Guard(session, guard["path"], bool(guard["fencing"]))
        start_all(self.clients + ([self.guard.client] if self.guard else []), connect_s)

    def _session_listener(self, cid):
        def listener(state):
            if state == KazooState.CONNECTED:
                return
            with self.lock:
                self.session_events += 1
                if state == KazooState.LOST:
                    self.expired += 1
            self.events.add("session", cid, now(), state.lower())

        return listener

    def queued(self, cid, t):
        with self.lock:
            if cid not in self.not_queued:
                return
            self.not_queued.discard(cid)
            last = not self.not_queued
        self.events.add("queued", cid, t)
        if last and self.warmup_until_queued:
            answer({"type": "warm", "at": t})

    def go(self, window):
        self.window = window
        for slot in range(len(self.client_ids)):
            self.threads.append(threading.Thread(target=self._client, args=(slot,), name=f"client-{self.client_ids[slot]}", daemon=True))
        threading.Thread(target=self._control, name="control", daemon=True).start()

    def _control(self):
        try:
            sleep_until(self.window.start_at)
            if self.warmup_until_queued and not self.client_ids:
                answer({"type": "warm", "at": now()})
            for t in self.threads:
                t.start()
            threading.Thread(target=self._progress, name="progress", daemon=True).start()
            self.schedule(self.window)
            for t in self.threads:
                t.join()
            self._finish()
        except Exception as e:  # noqa: BLE001 - every failure goes to the coordinator
            fail(e)

    def schedule(self, w):
        self.window = w
        schedule_window(self, w)

    def stop(self):
        self.stopped.set()
        # Only waiters are cancelled (they withdraw); holders finish their hold and release.
        with self.lock:
            waiting = list(self.waiting_locks.values())
        for lock in waiting:
            lock.cancel()

    def _progress(self):
        while not self.stopped.is_set() or any(t.is_alive() for t in self.threads):
            time.sleep(0.5)
            with self.lock:
                msg = {"type": "progress", "completed": self.completed, "measured": self.measured, "at": now(), "sessionEvents": self.session_events}
            answer(msg)

    def _client(self, slot):
        cid = self.client_ids[slot]
        rnd = random.Random(self.seed * 1_000_003 + cid)
        on_queued = [None]
        lock = QueueSignallingLock.make(self.clients[slot], self.lock_path, on_queued)
        while not self.stopped.is_set() and (self.acquisitions is None or self.measured_per_client[slot] < self.acquisitions):
            give_up = self.give_up_share > 0 and rnd.random() < self.give_up_share
            budgets = [ms for ms in ((self.give_up_after_ms if give_up else None), (self.acquire_timeout_ms or None)) if ms is not None]
            wait_s = min(budgets) / 1000 if budgets else None
            gave_up = give_up and (not self.acquire_timeout_ms or self.give_up_after_ms <= self.acquire_timeout_ms)
            self.events.add("acquire", cid, now())
            on_queued[0] = lambda: self.queued(cid, now())
            with self.lock:
                self.waiting_locks[cid] = lock
            try:
                if self.stopped.is_set():
                    raise CancelledError()
                got = lock.acquire(timeout=wait_s)
            except CancelledError:
                self.events.add("waiting", cid, now())
                return
            except LockTimeout:
                got = False
            except Exception as e:  # noqa: BLE001
                if self.stopped.is_set():
                    self.events.add("waiting", cid, now())
                    return
                self._error(cid, e)
                time.sleep(ERROR_BACKOFF_S)
                continue
            finally:
                on_queued[0] = None
                with self.lock:
                    self.waiting_locks.pop(cid, None)
            if not got:
                self.events.add("abandoned" if gave_up else "timeout", cid, now())
                continue
            t_held = now()
            self.queued(cid, t_held)
            node = lock.node or ""
            ticket = node[-10:] if len(node) >= 10 and node[-10:].isdigit() else "-"
            self.events.add("held", cid, t_held, ticket)
            if self.guard is not None:
                self._guarded_work(slot, cid, lock)
            elif self.hold_ms > 0:
                time.sleep(self.hold_ms / 1000)
            else:
                time.sleep(0)
            self.events.add("release", cid, now())
            try:
                lock.release()
            except Exception as e:  # noqa: BLE001
                self._error(cid, e)
            with self.lock:
                self.completed += 1
                if self.window.contains(t_held):
                    self.measured += 1
                    self.measured_per_client[slot] += 1

    def _guarded_work(self, slot, cid, lock):
        """lock-failover's hold: write the fencing token (the lock node's czxid, 0 when it is gone), hold (until
        the coordinator's continue when it armed this process), and write again: the write a holder paused
        past its session's end makes when it wakes, still believing it holds the lock."""
        announced = False
        try:
            stat = self.clients[slot].exists(f"{self.lock_path}/{lock.node}") if lock.node else None
            token = stat.czxid if stat is not None else 0
            if not self.guard.write(token):
                return
            if self.holds is not None:
                announced = True
                self.holds.holding(cid, self.hold_ms, self.stopped)
            elif self.hold_ms > 0:
                time.sleep(self.hold_ms / 1000)
            self.guard.write(token)
        except Exception as e:  # noqa: BLE001
            self._error(cid, e)
        finally:
            if announced:
                HoldOrders.announce("released", cid)

    def _error(self, cid, e):
        kind = type(e).__name__
        text = str(e).replace("\n", " ")
        self.events.add("error", cid, now(), f"{kind} client {cid}: {text}")

    def _finish(self):
        health = self.health.stop()
        self.events.close()
        with self.lock:
            done = {"type": "done", "health": health, "sessionsExpired": self.expired, "completed": self.completed}
            if self.guard is not None:
                done["guard"] = dict(self.guard.counts)
            answer(done)

    def on_scenario(self, data):
        if self.holds is not None:
            self.holds.on_order(data["kind"])

    def close(self):
        def close_one(c):
            try:
                c.stop()
                c.close()
            except Exception:  # noqa: BLE001 - leaving anyway
                pass

        threads = [threading.Thread(target=close_one, args=(c,), daemon=True) for c in self.clients + ([self.guard.client] if self.guard else [])]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        for t in threads:
            t.join(max(0, deadline - time.monotonic()))


class ElectionRun:
    """election-failover: one candidate, campaigning with kazoo's Election on a KazooClient of its own.
    It tells the coordinator, as zkbench's own candidates do (src/scenarios/election-failover/candidate.ts),
    when it leads, when it learns it no longer does, and when it closed its session on the coordinator's
    word; the notices are in the event file too. kazoo does not tell a leader it lost: the driver does what
    kazoo's documentation asks of an application, a connection listener, and takes LOST as the end of its
    leadership (SUSPENDED is not: the session may still be alive)."""

    def __init__(self, plan):
        self.recipe = plan["recipe"]
        if self.recipe not in ELECTION_RECIPES:
            raise ValueError(f'the kazoo driver has no election recipe "{self.recipe}"; it has {", ".join(ELECTION_RECIPES)}')
        self.plan = plan
        self.path = plan["electionPath"]
        self.candidate = plan["candidate"]
        self.events = EventLog(plan["eventsFile"])
        self.health = Health()
        self.client = None
        self.lock = threading.Lock()
        self.leading = False
        self.ended = None
        self.closing = False
        self.stopped = False
        self.finished = False
        self.terms = 0
        self.terms_measured = 0
        self.measure_from = None
        self.errors = {}
        self.error_messages = []
        self.schedule_generation = 0

    def post(self, data):
        if not self.stopped:
            answer({"type": "scenario", "data": {**data, "candidate": self.candidate}})

    def open(self):
        client = new_client(self.plan["connect"], self.plan["sessionTimeoutMs"] / 1000)

        def listener(state):
            if state == KazooState.CONNECTED:
                return
            self.events.add("session", self.candidate, now(), state.lower())
            if state == KazooState.LOST and client is self.client:
                self._lost("session-expired")

        client.add_listener(listener)
        client.start(timeout=self.plan.get("connectTimeoutMs", 30000) / 1000)
        self.client = client

    def _campaign(self, client):
        campaign_ns = now()
        self.events.add("campaign", self.candidate, campaign_ns)
        election = client.Election(self.path, str(self.candidate))

        def lead():
            t = now()
            ended = threading.Event()
            with self.lock:
                self.leading = True
                self.ended = ended
                self.terms += 1
                if self.measure_from is not None and t >= self.measure_from:
                    self.terms_measured += 1
            self.events.add("leading", self.candidate, t)
            self.post({"type": "leading", "campaignNs": str(campaign_ns), "leadNs": str(t)})
            ended.wait()

        try:
            election.run(lead)
        except Exception as e:  # noqa: BLE001
            if not self.stopped and not self.closing:
                self._error(e)
        # A lost session ends the term; kazoo then reconnects on a new session: campaign again on it.
        if not self.stopped and not self.closing and client is self.client:
            self._campaign(client)

    def _lost(self, why):
        t = now()
        with self.lock:
            if not self.leading:
                return
            self.leading = False
            ended = self.ended
        self.events.add("ended", self.candidate, t, why)
        self.post({"type": "ended", "atNs": str(t), "why": why})
        ended.set()

    def _error(self, e):
        kind = type(e).__name__
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1
            if len(self.error_messages) < 5:
                self.error_messages.append(f"{kind}: {e}")
        self.events.add("error", self.candidate, now(), f"{kind} {str(e).replace(chr(10), ' ')}")

    def go(self, window):
        def control():
            sleep_until(window.start_at)
            self._start_campaign()
            self.schedule(window)
            threading.Thread(target=self._progress, name="progress", daemon=True).start()

        threading.Thread(target=control, name="control", daemon=True).start()

    def _progress(self):
        """Live progress, as a zkbench candidate's load process reports it: terms begun, and those in the window."""
        while not self.stopped:
            time.sleep(0.5)
            if not self.stopped:
                answer({"type": "progress", "completed": self.terms, "measured": self.terms_measured, "at": str(now()), "sessionEvents": 0})

    def _start_campaign(self):
        threading.Thread(target=self._campaign, args=(self.client,), name="campaign", daemon=True).start()

    def schedule(self, w):
        if not w.pending:
            self.measure_from = w.measure_from
        schedule_window(self, w)

    def stop(self):
        with self.lock:
            if self.finished:
                return
            self.finished = True
        self.stopped = True  # nothing is posted after the stop: closing is the run's teardown
        health = self.health.stop()
        self.events.close()
        with self.lock:
            answer({"type": "done", "health": health, "sessionsExpired": 0, "completed": self.terms,
                    "candidate": {"errors": dict(self.errors), "errorMessages": list(self.error_messages)}})

    def on_scenario(self, data):
        kind = data.get("type")
        if kind == "close":
            led = self.leading
            at = now()
            if led:
                self.closing = True
                self.client.stop()
                self._lost("session-closed")
            self.post({"type": "closed", "atNs": str(at), "led": led})
        elif kind == "rejoin":
            try:
                self.closing = False
                self.open()
                self._start_campaign()
            except Exception as e:  # noqa: BLE001
                self._error(e)
                self.post({"type": "failed", "message": f"rejoin failed: {e}"})

    def close(self):
        self.stopped = True
        if self.ended is not None:
            self.ended.set()
        try:
            self.client.stop()
            self.client.close()
        except Exception:  # noqa: BLE001 - leaving anyway
            pass


class WatchRun:
    """watch-fanout and config: this process's watchers (config: readers, each pinned to its server), each a KazooClient of its own with a DataWatch on the watched
    znode, as an application keeps a value current. The writer is zkbench's own, in another process. Each
    watcher records arm (DataWatch created), armed <version> (its first call), changed <version> (kazoo
    called the function with a new version: it re-read the node on the watch event, with a new watch, and
    then called it). The process tells the coordinator how far all its watchers have read (watch-fanout: one
    number per version, for `paced`; config: once, when all have read), and after the stop waits (at most
    drainMs) until they have read the writer's last version."""

    def __init__(self, plan):
        self.recipe = plan["recipe"]
        if self.recipe not in WATCH_RECIPES:
            raise ValueError(f'the kazoo driver has no watch recipe "{self.recipe}"; it has {", ".join(WATCH_RECIPES)}')
        self.plan = plan
        self.config = plan.get("scenario") == "config"
        self.path = plan["path"]
        self.process_index = plan.get("processIndex", 0)
        self.ids = [r["id"] for r in plan["readers"]] if self.config else list(plan["watcherIds"])
        self.armed_count = 0
        self.armed_said = False
        self.drain_ms = plan.get("drainMs", 2000)
        self.events = EventLog(plan["eventsFile"])
        self.health = Health()
        self.clients = []
        self.lock = threading.Lock()
        self.schedule_generation = 0
        self.seen = [None] * len(self.ids)
        self.gone = [False] * len(self.ids)
        self.changed = 0
        self.session_events = 0
        self.expired = 0
        self.stopped = False
        self.closed = False
        self.final_version = None
        # The tally (as src/scenarios/watch-fanout/armed-tally.ts).
        self.newest = None
        self.armed_at_newest = 0
        self.reported = None
        self.lost = 0

    def open(self):
        connects = self.plan.get("connects") or []
        for slot, cid in enumerate(self.ids):
            hosts = connects[slot] if slot < len(connects) else self.plan["connect"]
            client = new_client(hosts, self.plan["sessionTimeoutMs"] / 1000)
            client.add_listener(self._session_listener(cid))
            self.clients.append(client)
        start_all(self.clients, self.plan.get("connectTimeoutMs", 30000) / 1000)

    def _session_listener(self, cid):
        def listener(state):
            if state == KazooState.CONNECTED:
                return
            with self.lock:
                self.session_events += 1
                if state == KazooState.LOST:
                    self.expired += 1
                if not self.closed:
                    self.events.add("session", cid, now(), state.lower())
        return listener

    def go(self, window):
        def control():
            try:
                sleep_until(window.start_at)
                if not self.ids:
                    with self.lock:
                        if self.config:
                            self._check()
                        else:
                            self._report(EVERYONE_GONE)
                for slot in range(len(self.ids)):
                    self._arm(slot)
                threading.Thread(target=self._progress, name="progress", daemon=True).start()
                self.schedule(window)
            except Exception as e:  # noqa: BLE001
                fail(e)

        threading.Thread(target=control, name="control", daemon=True).start()

    def _arm(self, slot):
        cid = self.ids[slot]

        def on_data(data, stat, event):
            t = now()  # first thing: when the application hears of it
            if stat is None:
                self._lose(slot, t, "NoNodeError the watched znode is gone")
                return False
            self._read(slot, t, stat.version)
            return None

        with self.lock:
            if not self.closed:
                self.events.add("arm", cid, now())
        try:
            self.clients[slot].DataWatch(self.path, on_data)
        except Exception as e:  # noqa: BLE001 - the watcher watches nothing; the others go on
            self._lose(slot, now(), f"{type(e).__name__} {str(e).replace(chr(10), ' ')}")

    def _read(self, slot, t, version):
        with self.lock:
            if self.closed or self.gone[slot]:
                return
            before = self.seen[slot]
            if version == before:
                return
            self.seen[slot] = version
            if before is None:
                self.events.add("armed", self.ids[slot], t, str(version))
                self.armed_count += 1
            else:
                self.events.add("changed", self.ids[slot], t, str(version))
                self.changed += 1
                if before == self.newest:
                    self.armed_at_newest -= 1
            if self.newest is None or version > self.newest:
                self.newest = version
                self.armed_at_newest = 1
            elif version == self.newest:
                self.armed_at_newest += 1
            self._check()

    def _lose(self, slot, t, why):
        with self.lock:
            if self.closed or self.gone[slot]:
                return
            self.gone[slot] = True
            self.events.add("error", self.ids[slot], t, why)
            if self.seen[slot] is not None and self.seen[slot] == self.newest:
                self.armed_at_newest -= 1
            self.lost += 1
            self._check()

    def _check(self):
        if self.config:
            # config: the writer starts once every reader of every process has read (one word per process)
            if not self.armed_said and self.armed_count + self.lost >= len(self.ids):
                self.armed_said = True
                answer({"type": "scenario", "data": {"kind": "armed"}})
            return
        live = len(self.ids) - self.lost
        if live <= 0:
            if self.reported != EVERYONE_GONE:
                self.reported = EVERYONE_GONE
                self._report(EVERYONE_GONE)
            return
        if self.armed_at_newest >= live and self.newest is not None and (self.reported is None or self.newest > self.reported):
            self.reported = self.newest
            self._report(self.newest)

    def _report(self, version):
        if self.stopped and self.final_version is not None:
            return  # the writer no longer waits
        answer({"type": "scenario", "data": {"kind": "armed", "path": self.path, "from": self.process_index, "version": version}})

    def _progress(self):
        while not self.stopped:
            time.sleep(0.5)
            # the writer's process counts the updates
            answer({"type": "progress", "completed": 0, "measured": 0, "at": str(now()), "sessionEvents": self.session_events})

    def schedule(self, w):
        schedule_window(self, w)

    def stop(self):
        with self.lock:
            if self.stopped:
                return
            self.stopped = True
        health = self.health.stop()
        threading.Thread(target=self._finish, args=(health,), name="drain", daemon=True).start()

    def _finish(self, health):
        give_up_at = now() + self.drain_ms * 1_000_000
        while True:
            with self.lock:
                undrained = self._not_holding()
            if undrained == 0 or now() >= give_up_at:
                break
            time.sleep(0.005)
        with self.lock:
            self.closed = True
            count = self.changed
            self.events.close()
        answer({"type": "done", "health": health, "sessionsExpired": self.expired, "completed": count,
                "drainCutShort": undrained > 0, "undrained": undrained})

    def _not_holding(self):
        """Live watchers that have not read the writer's last version (all of them while it is unknown)."""
        if self.final_version is None:
            return len(self.ids)
        return sum(1 for i in range(len(self.ids)) if not self.gone[i] and (self.seen[i] is None or self.seen[i] < self.final_version))

    def on_scenario(self, data):
        kind = data.get("kind")
        # watch-fanout: the writer's "final" (per point's path); config: the coordinator's "last"
        if (kind == "last") if self.config else (kind == "final" and data.get("path") == self.path):
            self.final_version = int(data["version"])

    def close(self):
        for client in self.clients:
            try:
                client.stop()
                client.close()
            except Exception:  # noqa: BLE001 - leaving anyway
                pass


class MembershipRun:
    """membership: kazoo's Party. This process's servers join the party (identifier: their address), each
    on a KazooClient of its own, on the coordinator's word (or at the start); a leave closes the server's
    session (its ephemeral node goes); a crash is the coordinator's SIGKILL of the process. kazoo's Party
    has no watch of its own: each watching client keeps a ChildrenWatch on the party node, as a kazoo
    application does, and lists the party (Party's iteration: the children, then each one's identifier) on
    every call; each new list is recorded, `view <client> <t> <address,...|->`, t when the list is known.
    The process tells the coordinator when a server is registered or closed and when all its clients hold
    the initial list; after `finish` it waits (at most waitMs) until they hold the live list."""

    def __init__(self, plan):
        self.recipe = plan["recipe"]
        if self.recipe not in MEMBERSHIP_RECIPES:
            raise ValueError(f'the kazoo driver has no membership recipe "{self.recipe}"; it has {", ".join(MEMBERSHIP_RECIPES)}')
        self.plan = plan
        self.group = plan["groupPath"]
        self.client_ids = list(plan["clientIds"])
        self.servers = list(plan["servers"])
        self.addresses = list(plan["addresses"])
        self.initial = ",".join(sorted(self.addresses[i] for i in plan["initial"]))
        self.events = EventLog(plan["eventsFile"])
        self.health = Health()
        self.health_report = None
        self.lock = threading.Condition()
        self.schedule_generation = 0
        self.clients = []
        self.server_clients = {}
        self.current = [None] * len(self.client_ids)
        self.views = 0
        self.held_initial = not self.client_ids
        self.expected = None
        self.closed = False
        self.finished = False

    def _client(self, cid):
        client = new_client(self.plan["connect"], self.plan["sessionTimeoutMs"] / 1000)

        def listener(state):
            if state != KazooState.CONNECTED:
                self._record("session", cid, now(), state.lower())

        client.add_listener(listener)
        return client

    def open(self):
        self.clients = [self._client(cid) for cid in self.client_ids]
        self.server_clients = {s["id"]: self._client(-1 - s["id"]) for s in self.servers}
        start_all(self.clients + list(self.server_clients.values()), self.plan.get("connectTimeoutMs", 30000) / 1000)

    def _record(self, kind, cid, t, rest=None):
        with self.lock:
            if not self.closed:
                self.events.add(kind, cid, t, rest)

    def go(self, window):
        def control():
            try:
                sleep_until(window.start_at)
                for slot in range(len(self.client_ids)):
                    self._watch(slot)
                for s in self.servers:
                    if s["initial"]:
                        self._register(s["id"])
                self.schedule(window)
            except Exception as e:  # noqa: BLE001
                fail(e)

        threading.Thread(target=control, name="control", daemon=True).start()

    def _watch(self, slot):
        client = self.clients[slot]
        party = client.Party(self.group)

        def on_children(_children):
            try:
                members = sorted(party)
            except Exception as e:  # noqa: BLE001 - the list failed: counted, the watch goes on
                self._record("error", self.client_ids[slot], now(), f"{type(e).__name__} {str(e).replace(chr(10), ' ')}")
                return None
            self._view(slot, now(), ",".join(members))
            return None

        client.ChildrenWatch(self.group, on_children)

    def _view(self, slot, t, listed):
        with self.lock:
            if self.closed or listed == self.current[slot]:
                return
            self.current[slot] = listed
            self.events.add("view", self.client_ids[slot], t, listed or "-")
            self.views += 1
            if not self.held_initial and self._all_hold(self.initial):
                self.held_initial = True
                answer({"type": "scenario", "data": {"type": "holding-initial", "atNs": str(t)}})
            if self.expected is not None and self._all_hold(self.expected):
                self.lock.notify_all()

    def _all_hold(self, listed):
        return all(c == listed for c in self.current)

    def _register(self, server):
        def run():
            send = now()
            try:
                party = self.server_clients[server].Party(self.group, identifier=self.addresses[server])
                party.join()
                answer({"type": "scenario", "data": {"type": "registered", "server": server, "path": party.create_path, "sendNs": str(send), "ackNs": str(now())}})
            except Exception as e:  # noqa: BLE001
                self._record("error", -1 - server, now(), f"{type(e).__name__} {str(e).replace(chr(10), ' ')}")
                answer({"type": "scenario", "data": {"type": "register-failed", "server": server, "message": f"{type(e).__name__}: {e}"}})

        threading.Thread(target=run, name="register", daemon=True).start()

    def _leave(self, server):
        at = now()
        threading.Thread(target=self.server_clients[server].stop, name="leave", daemon=True).start()
        answer({"type": "scenario", "data": {"type": "closed", "server": server, "atNs": str(at)}})

    def schedule(self, w):
        schedule_window(self, w)

    def stop(self):
        """The measured window's end: the health stops; the clients go on listing until `finish`."""
        with self.lock:
            if self.health_report is None:
                self.health_report = self.health.stop()

    def _finish(self, live, wait_ms):
        with self.lock:
            if self.finished:
                return
            self.finished = True
            self.expected = ",".join(sorted(self.addresses[i] for i in live))
            give_up_at = now() + wait_ms * 1_000_000
            while not self._all_hold(self.expected) and now() < give_up_at:
                self.lock.wait(max(0.001, (give_up_at - now()) / 1e9))
            if self.health_report is None:
                self.health_report = self.health.stop()
            self.closed = True
            count = self.views
            self.events.close()
        answer({"type": "done", "health": self.health_report, "sessionsExpired": 0, "completed": count})

    def on_scenario(self, data):
        kind = data.get("type")
        if kind == "join":
            self._register(int(data["server"]))
        elif kind == "leave":
            self._leave(int(data["server"]))
        elif kind == "finish":
            threading.Thread(target=self._finish, args=(list(data["live"]), int(data["waitMs"])), name="finish", daemon=True).start()

    def close(self):
        for client in self.clients + list(self.server_clients.values()):
            try:
                client.stop()
                client.close()
            except Exception:  # noqa: BLE001 - leaving anyway
                pass


def fail(e):
    answer({"type": "failed", "name": type(e).__name__, "message": f"kazoo driver: {type(e).__name__}: {e}"})


def main():
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    run = None
    for line in sys.stdin:
        msg = json.loads(line)
        kind = msg.get("type")
        try:
            if kind == "prepare":
                if run is not None:
                    run.close()
                t0 = now()
                scenario = msg["plan"].get("scenario")
                run = ElectionRun(msg["plan"]) if scenario == "election-failover" else WatchRun(msg["plan"]) if scenario in ("watch-fanout", "config") else MembershipRun(msg["plan"]) if scenario == "membership" else Run(msg["plan"])
                run.open()
                answer({"type": "ready", "connectMs": (now() - t0) / 1e6})
            elif kind == "go":
                if run is None:
                    raise RuntimeError("go before prepare")
                run.go(Window(msg["window"]))
            elif kind == "window":
                if run is not None:
                    run.schedule(Window(msg["window"]))
            elif kind == "stop":
                if run is not None:
                    run.stop()
            elif kind == "scenario":
                if run is not None:
                    run.on_scenario(msg["data"])
            elif kind == "exit":
                if run is not None:
                    run.stop()
                    run.close()
                os._exit(0)
            else:
                raise ValueError(f'unknown message type "{kind}"')
        except Exception as e:  # noqa: BLE001
            fail(e)
    # The coordinator is gone (stdin closed): leave at once, never outlive it.
    os._exit(1)


if __name__ == "__main__":
    main()
