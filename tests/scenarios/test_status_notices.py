"""The visitor always knows where they stand: a ticket, its status page on the
LAN, the wait range moving as windows call, the "near" and "called" messages
through a gateway, and the director's promised-against-actual figures.

Everything runs as it does in a hall: ``hall-admin serve`` and ``hall-admin
notify-sender`` are separate processes (on the test's clock through
``HALL_FAKE_NOW``), the page is fetched with a real HTTP client, the gateway is
an HTTP server on 127.0.0.1 that deduplicates by ``Idempotency-Key`` as the
hall's SMS relay does.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hall.services import queue, status

PHONE = "13812345678"
FULL_NAME = "张三明"


class Gateway:
    """A test SMS relay: records every POST, delivers each key once."""

    def __init__(self, delay_s: float = 0.0, fail_first: int = 0):
        self.posts: list[dict] = []
        self.delivered: dict[str, dict] = {}
        self.delay_s = delay_s
        self.fail_first = fail_first
        self.lock = threading.Lock()
        gw = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers["Idempotency-Key"]
                time.sleep(gw.delay_s)
                with gw.lock:
                    gw.posts.append(body)
                    failing = gw.fail_first > 0
                    if failing:
                        gw.fail_first -= 1
                    elif key not in gw.delivered:
                        gw.delivered[key] = body
                self.send_response(503 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def texts(self, to: str = PHONE) -> list[str]:
        with self.lock:
            return [m["text"] for m in self.delivered.values() if m["to"] == to]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _child_env(clock) -> dict:
    env = dict(os.environ)
    env["HALL_FAKE_NOW"] = clock.now().isoformat()
    return env


def _start(args, db_url, clock, wait_for: str | None = None) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "hall.cli", "--db", db_url, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_child_env(clock))
    line = ""
    if wait_for:
        line = proc.stdout.readline()
        if wait_for not in line:
            proc.kill()
            raise AssertionError(f"child did not start: {line!r} {proc.stderr.read()}")
    return proc, line


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


@pytest.fixture
def server(db_url, hall, clock):
    proc, line = _start(["serve", "--bind", "127.0.0.1", "--port", "0", "--rate-limit", "200",
                         "--min-response-ms", "120"], db_url, clock, wait_for="http://")
    base = re.search(r"http://[\d.]+:\d+", line).group(0)
    yield base
    _stop(proc)


def _get(url: str) -> tuple[int, str, float]:
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read().decode("utf-8"), time.perf_counter() - t0
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8"), time.perf_counter() - t0


def _wait(predicate, timeout=20.0, what=""):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_visitor_follows_the_ticket_from_issue_to_the_call(db_url, hall, clock, server, admin, front_desk,
                                                            window_staff, director):
    gateway = Gateway()
    sender, _ = _start(["notify-sender", "--sms-gateway", gateway.url, "--poll", "0.1", "--lease", "5",
                        "--backoff", "0.2"], db_url, clock, wait_for="通知发送进程已启动")
    try:
        queue.open_window(hall, admin, "w01")
        for _ in range(5):
            queue.issue_ticket(hall, front_desk, "general")
        mine = queue.issue_ticket(hall, front_desk, "general", name=FULL_NAME, phone=PHONE, notice_consent=True)
        token = mine.status_url.rsplit("/s/", 1)[1]
        url = f"{server}/s/{token}"

        code, page, _ = _get(url)
        assert code == 200 and f"排队号 {mine.number}" in page and "5 人" in page and "分钟" in page
        assert FULL_NAME not in page and "5678" not in page
        ranges = [json.loads(_get(url + ".json")[1])]
        _wait(lambda: len(gateway.texts()) == 1, what="the issue message")
        assert mine.number in gateway.texts()[0]

        for expected_ahead in (4, 3):
            queue.finish(hall, window_staff, queue.call_next(hall, window_staff, "w01").id)
            data = json.loads(_get(url + ".json")[1])
            lines = {line["label"]: line["value"] for line in data["lines"]}
            assert lines["前面等候"] == f"{expected_ahead} 人"
            ranges.append(data)
        first_range = {line["label"]: line["value"] for line in ranges[0]["lines"]}["预计等候"]
        last_range = {line["label"]: line["value"] for line in ranges[-1]["lines"]}["预计等候"]
        assert first_range != last_range                      # the range moved with the calls
        assert ranges[-1]["near"] is True and "快到您了" in ranges[-1]["headline"]
        _wait(lambda: any("快到您了" in t for t in gateway.texts()), what="the near message")

        for _ in range(3):
            queue.finish(hall, window_staff, queue.call_next(hall, window_staff, "w01").id)
        called = queue.call_next(hall, window_staff, "w01")
        assert called.id == mine.id
        _wait(lambda: any("1号窗口" in t for t in gateway.texts()), what="the called message")
        assert "请到 1号窗口" in _get(url)[1]
        texts = gateway.texts()
        assert len(texts) == 3 and all(FULL_NAME not in t and "张" not in t for t in texts)

        day = clock.now().date()
        general = {r.service: r for r in status.promise_coverage(hall, director, day, day)}["general"]
        assert general.estimated == 6 and general.within + general.earlier + general.later == 6
    finally:
        _stop(sender)
        gateway.close()


def test_unknown_tokens_are_a_plain_not_found_in_the_same_time(server, hall, front_desk, admin):
    queue.open_window(hall, admin, "w01")
    t = queue.issue_ticket(hall, front_desk, "general")
    good = f"{server}/s/{t.status_url.rsplit('/s/', 1)[1]}"
    times = {"good": [], "unknown": [], "malformed": []}
    for _ in range(4):
        for kind, url in (("good", good), ("unknown", f"{server}/s/{'A' * 22}"),
                          ("malformed", f"{server}/s/%3Cscript%3E")):
            code, body, took = _get(url)
            assert code == (200 if kind == "good" else 404)
            if kind != "good":
                assert "没有找到此查询码" in body and "script" not in body
            times[kind].append(took)
    # Every answer waits for the same floor (120 ms here): found and not
    # found cannot be told apart by timing.
    for kind, ts in times.items():
        assert min(ts) >= 0.12, kind
    assert abs(sorted(times["unknown"])[1] - sorted(times["good"])[1]) < 0.1


def test_the_page_is_rate_limited_and_can_be_turned_off(db_url, hall, clock, admin, front_desk):
    proc, line = _start(["serve", "--bind", "127.0.0.1", "--port", "0", "--rate-limit", "5",
                         "--min-response-ms", "0"], db_url, clock, wait_for="http://")
    base = re.search(r"http://[\d.]+:\d+", line).group(0)
    try:
        codes = [_get(f"{base}/s/{'B' * 22}")[0] for _ in range(7)]
        assert codes[:5] == [404] * 5 and codes[5:] == [429, 429]
    finally:
        _stop(proc)
    proc, line = _start(["serve", "--bind", "127.0.0.1", "--port", "0", "--min-response-ms", "0"],
                        db_url, clock, wait_for="http://")
    base = re.search(r"http://[\d.]+:\d+", line).group(0)
    try:
        t = queue.issue_ticket(hall, front_desk, "general")
        status.set_enabled(hall, admin, False)
        code, body, _ = _get(t.status_url.replace(status.DEFAULT_BASE_URL, base))
        assert code == 503 and "暂时关闭" in body
    finally:
        _stop(proc)


def test_unsubscribing_from_the_link_stops_the_messages(server, hall, front_desk, window_staff, admin):
    from sqlalchemy import select

    from hall.store.status_models import NoticeSubscription, OutboxMessage

    queue.open_window(hall, admin, "w01")
    queue.issue_ticket(hall, front_desk, "general", phone=PHONE, notice_consent=True)
    with hall.read() as s:
        code = s.execute(select(NoticeSubscription.unsubscribe_code)).scalar_one()
    assert "确认退订" in _get(f"{server}/u/{code}")[1]          # a GET (a link preview) changes nothing
    req = urllib.request.Request(f"{server}/u/{code}", data=b"", method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert "已退订" in resp.read().decode()
    queue.call_next(hall, window_staff, "w01")
    with hall.read() as s:
        assert s.execute(select(OutboxMessage.kind, OutboxMessage.state)).all() == [("issued", "dropped")]


def test_a_killed_sender_loses_no_message_and_sends_none_twice(db_url, hall, clock, admin, front_desk):
    from sqlalchemy import func, select

    from hall.store.status_models import OutboxMessage

    phones = [f"1390000{i:04d}" for i in range(24)]
    for p in phones:
        queue.issue_ticket(hall, front_desk, "housing", phone=p, notice_consent=True)
    gateway = Gateway(delay_s=0.05, fail_first=2)          # the relay also stumbles at first
    args = ["notify-sender", "--sms-gateway", gateway.url, "--poll", "0.05", "--lease", "1",
            "--backoff", "0.1", "--batch", "4"]
    sender, _ = _start(args, db_url, clock, wait_for="通知发送进程已启动")
    try:
        _wait(lambda: len(gateway.delivered) >= 6, what="some messages")
        sender.send_signal(signal.SIGKILL)                  # mid-batch, no goodbye
        sender.wait(5)
        _stop(sender)                                       # (closes its pipes)
        sender, _ = _start(args, db_url, clock, wait_for="通知发送进程已启动")
        _wait(lambda: len(gateway.delivered) == len(phones), timeout=30, what="every message")

        def all_sent():
            with hall.read() as s:
                return s.execute(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.state != "sent")).scalar_one() == 0
        _wait(all_sent, what="the outbox to be marked sent")
    finally:
        _stop(sender)
        gateway.close()
    received = sorted(m["to"] for m in gateway.delivered.values())
    assert received == sorted(phones)                       # none lost, each phone exactly once
    resent = len(gateway.posts) - len(phones) - 2          # POSTs repeated after the kill (same key)
    assert 0 <= resent <= 4                                 # at most the batch in flight
