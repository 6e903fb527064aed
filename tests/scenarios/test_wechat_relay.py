"""WeChat notices through the hall's own relay: the desktop only enqueues,
``hall-admin notify-sender --wechat-relay`` posts a signed JSON body, and the
relay (a test server on 127.0.0.1 that does what the documented API asks:
check the HMAC signature over the exact body, refuse a stale timestamp, drop
an id it has seen) takes each message once. A sender with the wrong secret is
refused, and the message goes to the dead letters at once."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import select

from hall.services import notices, queue
from hall.store.status_models import OutboxMessage

from .test_status_notices import _start, _stop, _wait

PHONE = "13812345678"
SECRET = "relay-shared-secret-4f1c"


class Relay:
    """The relay's side of the contract, written from the documented API (not from the sender's code)."""

    def __init__(self, secret: str, clock, fail_first: int = 0):
        self.secret = secret.encode()
        self.clock = clock
        self.fail_first = fail_first
        self.posts: list[tuple[int, dict]] = []      # (status answered, body)
        self.delivered: dict[str, dict] = {}
        self.lock = threading.Lock()
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):  # noqa: N802
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(relay.secret, raw, hashlib.sha256).hexdigest()
                body = json.loads(raw)
                with relay.lock:
                    if not hmac.compare_digest(expected, self.headers.get("X-Hall-Signature", "")):
                        code = 401
                    elif abs(body["timestamp"] - relay.clock.now().timestamp()) > 300:
                        code = 401
                    elif relay.fail_first > 0:
                        relay.fail_first -= 1
                        code = 503
                    else:
                        relay.delivered.setdefault(body["id"], body)   # a repeated id is taken, not sent again
                        code = 200
                    relay.posts.append((code, body))
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hall/notify"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _outbox(hall, ticket_id):
    with hall.read() as s:
        return list(s.execute(select(OutboxMessage).where(OutboxMessage.ticket_id == ticket_id)
                              .order_by(OutboxMessage.id)).scalars())


def test_wechat_notices_reach_the_relay_signed_once_each_and_a_wrong_secret_is_dead_lettered(
        db_url, hall, clock, admin, front_desk, window_staff, monkeypatch):
    notices.set_phone_channel(hall, admin, "wechat")
    queue.open_window(hall, admin, "w01")
    mine = queue.issue_ticket(hall, front_desk, "general", phone=PHONE, notice_consent=True)
    assert [m.channel for m in _outbox(hall, mine.id)] == ["wechat"]

    relay = Relay(SECRET, clock, fail_first=1)        # the relay stumbles once: retried with the same id
    monkeypatch.setenv("HALL_WECHAT_SECRET", SECRET)
    args = ["notify-sender", "--wechat-relay", relay.url, "--poll", "0.05", "--lease", "5", "--backoff", "0.1"]
    sender, _ = _start(args, db_url, clock, wait_for="通知发送进程已启动")
    try:
        _wait(lambda: len(relay.delivered) == 1, what="the issue message at the relay")
        called = queue.call_next(hall, window_staff, "w01")
        assert called.id == mine.id
        _wait(lambda: len(relay.delivered) == 2, what="the called message at the relay")
        _wait(lambda: all(m.state == "sent" for m in _outbox(hall, mine.id)), what="the outbox marked sent")
    finally:
        _stop(sender)
    keys = [m.key for m in _outbox(hall, mine.id)]
    assert sorted(relay.delivered) == sorted(keys)                 # the outbox key is the relay's message id
    issued, call = (relay.delivered[k] for k in keys)
    assert issued["to"] == PHONE and issued["channel"] == "wechat" and issued["kind"] == "issued"
    assert mine.number in issued["text"] and "/s/" in issued["text"]   # the status link goes with it
    assert "1号窗口" in call["text"] and call["kind"] == "called"
    # Signed on the hall's clock (the sender's clock runs on from the test's moment, days from the wall clock).
    assert 0 <= issued["timestamp"] - int(clock.now().timestamp()) <= 60
    answered = [code for code, _ in relay.posts]
    assert answered == [503, 200, 200]
    assert relay.posts[0][1]["id"] == relay.posts[1][1]["id"]      # the retry carries the same id

    # A sender configured with the wrong secret: refused (401) and dead-lettered, never retried.
    other = queue.issue_ticket(hall, front_desk, "general", phone="13900001111", notice_consent=True)
    monkeypatch.setenv("HALL_WECHAT_SECRET", "not-the-secret")
    sender, _ = _start(args, db_url, clock, wait_for="通知发送进程已启动")
    try:
        _wait(lambda: [m.state for m in _outbox(hall, other.id)] == ["dead"], what="the refused message")
    finally:
        _stop(sender)
        relay.close()
    assert [code for code, _ in relay.posts][3:] == [401]          # one try, no retries
    assert len(relay.delivered) == 2
    dead = [d for d in notices.dead_letters(hall, admin) if d.ticket_number == other.number]
    assert len(dead) == 1 and "HTTP 401" in dead[0].last_error and dead[0].address == "139****1111"
