#!/usr/bin/env python3
"""Mixed load against a running demo for a long time; see run.sh for how it is started.

Clients sign in (alice is staff, bob is not), list their sessions (JSON), open the home page,
fetch the stylesheet with their cookie (a request that never touches the session), simulate
sign-ins from other devices, end one of their other sessions (password confirmation), sign
out, and list every session in the admin; anonymous visitors open the sign-in page. Halfway
through, the database is made unavailable for a while (RESTART_COMMAND); `user-sessions
clearsessions` purges every PURGE_SECONDS.

Every response is classified: expected, 503 (counted with its time: it must fall in the
outage), or an error (anything else). At the end every session this script holds and did not
end must still be signed in. The summary is printed as JSON; the exit code is 1 when an error
or a 503 outside the outage was seen, or a session went missing.

Only the Python standard library is used.
"""

import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse

HOST = os.environ.get("SOAK_HOST", "127.0.0.1")
PORT = int(os.environ["SOAK_PORT"])
PID = int(os.environ["SOAK_PID"])
MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
RATE = float(os.environ.get("SOAK_RATE", "100"))  # requests per second, all clients together
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "8"))
RESTART_COMMAND = os.environ.get("RESTART_COMMAND", "")
PURGE_COMMAND = os.environ.get("PURGE_COMMAND", "")
PURGE_SECONDS = float(os.environ.get("PURGE_SECONDS", "60"))
# 503s are accepted from the start of the outage until this long after it ended.
OUTAGE_GRACE = float(os.environ.get("OUTAGE_GRACE", "10"))
USERS = [("alice", "wonderland"), ("bob", "builder")]
ORIGIN = f"http://{HOST}:{PORT}"
AGENTS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0",
]


class Held:
    """A session this script signed in and holds the cookie of."""

    def __init__(self, user, password, cookie, agent):
        self.user = user
        self.password = password
        self.cookie = cookie
        self.agent = agent
        self.public_id = None
        self.ending = False  # someone is ending it (or it was ended): signed-out answers are expected
        self.ended = False


class Soak:
    def __init__(self):
        self.lock = threading.Lock()
        self.pool = []  # Held sessions not in use by a client
        self.by_id = {}  # public id -> Held
        self.counts = {}  # (action, status class) -> n
        self.errors = []  # (time, action, detail), first 50 kept
        self.error_count = 0
        self.unavailable = []  # times of 503 answers
        self.outage = None  # (start, end) of the database outage
        self.purges = []  # (time, exit code, output's last line)
        self.rss = []  # (seconds since start, kB)
        self.started = time.monotonic()
        self.stop = threading.Event()
        self.signing_in = {user: threading.Lock() for user, _ in USERS}

    # -- bookkeeping ---------------------------------------------------------------------------
    def count(self, action, status):
        with self.lock:
            key = f"{action} {status}"
            self.counts[key] = self.counts.get(key, 0) + 1

    def error(self, action, detail):
        with self.lock:
            self.error_count += 1
            if len(self.errors) < 50:
                self.errors.append((round(time.monotonic() - self.started, 1), action, detail))

    def answered(self, action, status, expected, detail=""):
        """Counts one response; returns whether it was one of `expected`."""
        self.count(action, status)
        if status in expected:
            return True
        if status == 503:
            with self.lock:
                self.unavailable.append(time.monotonic() - self.started)
            return False
        self.error(action, f"status {status} {detail}".strip())
        return False

    def take(self):
        with self.lock:
            if not self.pool:
                return None
            return self.pool.pop(random.randrange(len(self.pool)))

    def give_back(self, held):
        with self.lock:
            if not held.ended:
                self.pool.append(held)

    def population(self):
        with self.lock:
            return len(self.pool)

    # -- HTTP ----------------------------------------------------------------------------------
    def request(self, method, path, cookie=None, body=None, headers=None, agent=None):
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        try:
            sent = {"User-Agent": agent or AGENTS[0]}
            if cookie:
                sent["Cookie"] = cookie
            if body is not None:
                sent["Origin"] = ORIGIN
            sent.update(headers or {})
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            return response.status, response.getheaders(), data
        finally:
            conn.close()

    # -- actions -------------------------------------------------------------------------------
    def sign_in(self):
        user, password = random.choice(USERS)
        # One sign-in per account at a time, as one person signs in: the demo counts an
        # account's sign-in attempts before checking the password, so a pile of concurrent
        # sign-ins to one account meets its limit (429) like a password-guessing burst would.
        with self.signing_in[user]:
            self.sign_in_as(user, password)

    def sign_in_as(self, user, password):
        agent = random.choice(AGENTS)
        status, headers, body = self.request("GET", "/login", agent=agent)
        if not self.answered("login-page", status, {200}):
            return
        form_cookie = "; ".join(
            v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie"
        )
        match = re.search(rb'name="csrf_token" value="([^"]+)"', body)
        if not match:
            self.error("login-page", "no csrf_token in the form")
            return
        form = urllib.parse.urlencode(
            {
                "username": user,
                "password": password,
                "csrf_token": match.group(1).decode(),
                "next": "/account/sessions/",
            }
        )
        status, headers, _ = self.request(
            "POST",
            "/login",
            cookie=form_cookie,
            body=form,
            agent=agent,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if not self.answered("sign-in", status, {303}):
            return
        cookie = "; ".join(
            v.split(";", 1)[0]
            for k, v in headers
            if k.lower() == "set-cookie" and "Max-Age=0" not in v
        )
        held = Held(user, password, cookie, agent)
        listed = self.list_sessions(held)
        if listed is not None:
            self.give_back(held)

    def list_sessions(self, held, action="list"):
        """GET /account/sessions/ as JSON; returns the list, or None (signed out, or failed)."""
        status, _, body = self.request(
            "GET",
            "/account/sessions/",
            cookie=held.cookie,
            agent=held.agent,
            headers={"Accept": "application/json"},
        )
        if status in (401, 303) and held.ending:
            self.count(action, f"{status}-ended")
            return None
        if not self.answered(action, status, {200}, held.user):
            if status != 503:
                held.ended = True  # lost: reported as an error already
            return None
        try:
            listed = json.loads(body)
            current = [s["id"] for s in listed["sessions"] if s["is_current"]]
        except (ValueError, KeyError, TypeError) as error:
            self.error(action, f"unreadable list: {error}")
            return None
        if len(current) != 1:
            if held.ending:
                # Ended by another client while this request was being answered.
                self.count(action, "200-ended")
            else:
                self.error(action, f"{len(current)} current sessions listed")
            return None
        with self.lock:
            if held.public_id is None:
                held.public_id = current[0]
                self.by_id[current[0]] = held
        return listed

    def read(self):
        held = self.take()
        if held is None:
            return self.sign_in()
        try:
            self.list_sessions(held)
        finally:
            self.give_back(held)

    def home(self):
        held = self.take()
        if held is None:
            return self.sign_in()
        try:
            status, _, _ = self.request("GET", "/", cookie=held.cookie, agent=held.agent)
            self.answered("home", status, {200})
        finally:
            self.give_back(held)

    def untouched(self):
        held = self.take()
        cookie = held.cookie if held else None
        try:
            status, _, _ = self.request(
                "GET", "/account/sessions/static/user-sessions.css", cookie=cookie
            )
            self.answered("stylesheet", status, {200})
        finally:
            if held:
                self.give_back(held)

    def anonymous(self):
        status, _, _ = self.request("GET", "/login", agent=random.choice(AGENTS))
        self.answered("login-page", status, {200})

    def simulate(self):
        held = self.take()
        if held is None:
            return self.sign_in()
        try:
            listed = self.list_sessions(held)
            if listed is None or len(listed["sessions"]) > 120:
                return
            form = urllib.parse.urlencode({"csrf_token": listed["csrf_token"]})
            status, _, _ = self.request(
                "POST",
                "/sign-in-elsewhere",
                cookie=held.cookie,
                body=form,
                agent=held.agent,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            if status in (401, 403) and held.ending:
                self.count("simulate", f"{status}-ended")
            else:
                self.answered("simulate", status, {303})
        finally:
            self.give_back(held)

    def end_one(self):
        held = self.take()
        if held is None:
            return self.sign_in()
        try:
            listed = self.list_sessions(held)
            if listed is None:
                return
            others = [s["id"] for s in listed["sessions"] if not s["is_current"]]
            if not others:
                return
            target = random.choice(others)
            # A session signed in a moment ago may be listed before this script knows its id:
            # the user's sign-in lock is held until it does, so no held session is ended
            # without being marked.
            with self.signing_in[held.user], self.lock:
                victim = self.by_id.get(target)
                if victim is not None:
                    victim.ending = True
            status, _, body = self.request(
                "DELETE",
                f"/account/sessions/{target}/",
                cookie=held.cookie,
                body=json.dumps({"password": held.password}),
                agent=held.agent,
                headers={
                    "Accept": "application/json",
                    "Content-Type": "application/json",
                    "X-CSRF-Token": listed["csrf_token"],
                },
            )
            if status in (401, 403) and held.ending:
                # This client's own session was ended meanwhile: its token is no longer valid.
                self.count("end-one", f"{status}-ended")
                ok = False
            else:
                # 404: another client ended it first.
                ok = self.answered(
                    "end-one", status, {200, 404}, body[:120].decode(errors="replace")
                )
            with self.lock:
                if victim is not None:
                    if ok:
                        victim.ended = True
                        if victim in self.pool:
                            self.pool.remove(victim)
                    else:
                        victim.ending = False
        finally:
            self.give_back(held)

    def sign_out(self):
        held = self.take()
        if held is None:
            return
        listed = self.list_sessions(held)
        if listed is None:
            return self.give_back(held)
        held.ending = True
        form = urllib.parse.urlencode({"csrf_token": listed["csrf_token"]})
        status, _, _ = self.request(
            "POST",
            "/logout",
            cookie=held.cookie,
            body=form,
            agent=held.agent,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if self.answered("sign-out", status, {303}):
            held.ended = True
        else:
            held.ending = False
            self.give_back(held)

    def admin(self):
        with self.lock:
            staff = [h for h in self.pool if h.user == "alice"]
            held = random.choice(staff) if staff else None
            if held is not None:
                self.pool.remove(held)
        if held is None:
            return self.sign_in()
        try:
            query = random.choice(["", "?active=0", "?owner=my", "?q=bob", "?q=127.0.0"])
            status, _, body = self.request(
                "GET",
                f"/admin/sessions/{query}",
                cookie=held.cookie,
                agent=held.agent,
                headers={"Accept": "application/json"},
            )
            if status in (401, 303) and held.ending:
                self.count("admin", f"{status}-ended")
                return
            if self.answered("admin", status, {200}) and b"sessions" not in body:
                self.error("admin", "no sessions in the admin's JSON")
        finally:
            self.give_back(held)

    def one(self):
        population = self.population()
        # Keep a few dozen sessions signed in: sign in more when few, end more when many.
        sign_in_weight = 30 if population < 40 else 3
        end_weight = 10 if population > 120 else 4
        actions = [
            (self.sign_in, sign_in_weight),
            (self.read, 40),
            (self.home, 10),
            (self.untouched, 10),
            (self.anonymous, 6),
            (self.simulate, 2),
            (self.end_one, end_weight),
            (self.sign_out, 2),
            (self.admin, 8),
        ]
        action = random.choices([a for a, _ in actions], [w for _, w in actions])[0]
        try:
            action()
        except (OSError, http.client.HTTPException) as error:
            self.error(action.__name__, f"{type(error).__name__}: {error}")

    # -- loops ---------------------------------------------------------------------------------
    def client(self):
        interval = CLIENTS / RATE
        next_at = time.monotonic()
        while not self.stop.is_set():
            self.one()
            next_at += interval
            pause = next_at - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            else:
                next_at = time.monotonic()

    def rss_kb(self):
        with open(f"/proc/{PID}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def watch(self, seconds):
        """Samples RSS every 30 s, purges, and runs the outage at half time."""
        end = self.started + seconds
        next_rss = self.started
        next_purge = self.started + PURGE_SECONDS
        outage_at = self.started + seconds / 2
        while time.monotonic() < end:
            now = time.monotonic()
            if now >= next_rss:
                self.rss.append((round(now - self.started), self.rss_kb()))
                print(f"soak: {round(now - self.started)} s, RSS {self.rss[-1][1]} kB, "
                      f"{self.population()} sessions held, {self.error_count} errors",
                      flush=True)
                next_rss += 30
            if PURGE_COMMAND and now >= next_purge:
                done = subprocess.run(PURGE_COMMAND, shell=True, capture_output=True, text=True)
                last = (done.stdout + done.stderr).strip().splitlines()[-1:] or [""]
                self.purges.append((round(now - self.started), done.returncode, last[0]))
                next_purge += PURGE_SECONDS
            if RESTART_COMMAND and outage_at and now >= outage_at:
                outage_at = None
                start = time.monotonic() - self.started
                print(f"soak: database outage starts at {round(start)} s", flush=True)
                done = subprocess.run(RESTART_COMMAND, shell=True)
                finish = time.monotonic() - self.started
                self.outage = (start, finish)
                print(f"soak: database back at {round(finish)} s (exit {done.returncode})",
                      flush=True)
                if done.returncode != 0:
                    self.error("restart", f"the restart command exited {done.returncode}")
            time.sleep(0.5)
        self.rss.append((round(time.monotonic() - self.started), self.rss_kb()))

    def verify(self):
        """Every held session that was not ended is still signed in."""
        with self.lock:
            held = [h for h in self.pool if not h.ended]
        missing = 0
        for h in held:
            listed = self.list_sessions(h, action="final-check")
            if listed is None:
                missing += 1
        return len(held), missing

    def run(self):
        seconds = MINUTES * 60
        threads = [threading.Thread(target=self.client, daemon=True) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        self.watch(seconds)
        self.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        checked, missing = self.verify()
        outside = [
            t
            for t in self.unavailable
            if self.outage is None or not (self.outage[0] <= t <= self.outage[1] + OUTAGE_GRACE)
        ]
        served = sum(self.counts.values())
        at = {}
        for mark in (0, 10, 20, 30):
            samples = [kb for s, kb in self.rss if s >= mark * 60]
            if samples:
                at[f"{mark} min"] = f"{samples[0] / 1024:.1f} MB"
        summary = {
            "minutes": MINUTES,
            "requests": served,
            "responses": dict(sorted(self.counts.items())),
            "errors": self.error_count,
            "first_errors": self.errors,
            "unavailable_503": len(self.unavailable),
            "unavailable_outside_outage": len(outside),
            "outage_seconds": None
            if self.outage is None
            else [round(self.outage[0], 1), round(self.outage[1], 1)],
            "purges": len(self.purges),
            "failed_purges": [p for p in self.purges if p[1] != 0],
            "rss": at,
            "rss_max_mb": round(max(kb for _, kb in self.rss) / 1024, 1),
            "sessions_checked_at_end": checked,
            "sessions_missing_at_end": missing,
        }
        print(json.dumps(summary, indent=2))
        failed = self.error_count or outside or missing or summary["failed_purges"]
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(Soak().run())
