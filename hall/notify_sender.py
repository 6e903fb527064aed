"""The notice sender (``hall-admin notify-sender``): outbox → gateway.

A separate process, so a slow or broken SMS provider never holds up a front
desk. It claims due messages (a lease, ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL), hands each to the gateway of its channel and records the
result; a failure is retried with exponential backoff and, after the last
try, left in the dead-letter list for the admin.

A killed sender loses nothing: a claimed message whose lease runs out is
claimed again. It sends nothing twice: every message carries its outbox
``key`` as the ``Idempotency-Key`` of the HTTP gateway contract (the hall's
relay or SMS provider drops a key it has seen); the SMTP gateway sets it as
the ``Message-ID`` and, having no such contract, is only retried when the
server refused the message, never after an interrupted send.

WeChat goes through the hall's own relay server (the desktop never talks to
WeChat): :class:`WeChatRelayGateway` posts a JSON body carrying the message
id and a timestamp, signed with HMAC-SHA256 under a shared secret; the relay
checks the signature and the timestamp and drops an id it has seen. The
relay's API is in ``docs/architecture.md`` ("The WeChat relay").
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import smtplib
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from hall.services import notices
from hall.store.db import Database

log = logging.getLogger("hall.notify_sender")


class GatewayError(Exception):
    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Gateway(Protocol):
    channel: str

    def send(self, msg: notices.Claimed) -> None:
        """Deliver or raise :class:`GatewayError`."""


@dataclass
class HttpGateway:
    """POST ``{"key", "channel", "to", "text"}`` as JSON to the hall's SMS relay.

    2xx: delivered; 4xx: refused for good (bad number) → dead letter;
    5xx, timeouts, refused connections: retried later.
    """

    url: str
    channel: str = "sms"
    timeout_s: float = 10.0
    token: str = ""

    def send(self, msg: notices.Claimed) -> None:
        data = json.dumps({"key": msg.key, "channel": msg.channel, "to": msg.address, "text": msg.body},
                          ensure_ascii=False).encode("utf-8")
        _post(self.url, data, {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": msg.key,
                               **({"Authorization": f"Bearer {self.token}"} if self.token else {})},
              self.timeout_s, "网关")


def _post(url: str, data: bytes, headers: dict[str, str], timeout_s: float, what: str) -> None:
    """POST; 2xx delivered, 4xx (but 429) refused for good, anything else retried."""
    req = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:
            resp.read()
    except urllib.error.HTTPError as exc:
        raise GatewayError(f"{what}拒绝（HTTP {exc.code}）", permanent=400 <= exc.code < 500 and exc.code != 429) from None
    except (urllib.error.URLError, OSError) as exc:
        raise GatewayError(f"{what}不可用：{getattr(exc, 'reason', exc)}") from None


#: The header carrying the body's signature: ``sha256=<hex HMAC-SHA256(secret, body)>``.
SIGNATURE_HEADER = "X-Hall-Signature"


def sign(secret: str, body: bytes) -> str:
    """The value of :data:`SIGNATURE_HEADER` for ``body``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclass
class WeChatRelayGateway:
    """POST a signed JSON body to the hall's WeChat relay.

    Body ``{"id", "timestamp", "channel": "wechat", "to", "kind", "text"}``
    (``to`` the visitor's mobile number, which the relay maps to the WeChat
    user who bound it; ``timestamp`` Unix seconds); header
    ``X-Hall-Signature: sha256=<hex>`` over the exact body bytes with the
    shared secret. The relay answers 2xx when it has taken the message (or
    has seen the id before), 401/403 for a bad signature or a stale
    timestamp and 4xx for an address it cannot reach — those are dead
    letters at once; 429, 5xx and network failures are retried with backoff.
    """

    url: str
    secret: str
    channel: str = "wechat"
    timeout_s: float = 10.0
    now: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        if not self.secret:
            raise ValueError("微信中继需要共享密钥")

    def body(self, msg: notices.Claimed) -> bytes:
        return json.dumps({"id": msg.key, "timestamp": int(self.now()), "channel": "wechat",
                           "to": msg.address, "kind": msg.kind, "text": msg.body},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def send(self, msg: notices.Claimed) -> None:
        data = self.body(msg)
        _post(self.url, data, {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": msg.key,
                               SIGNATURE_HEADER: sign(self.secret, data)}, self.timeout_s, "微信中继")


@dataclass
class SmtpGateway:
    host: str
    port: int = 25
    sender: str = "hall@localhost"
    channel: str = "email"
    timeout_s: float = 10.0

    def send(self, msg: notices.Claimed) -> None:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = msg.address
        mail["Subject"] = "服务大厅通知"
        mail["Message-ID"] = f"<{msg.key}@hall>"
        mail.set_content(msg.body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused:
            raise GatewayError("邮件服务器拒收此地址", permanent=True) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise GatewayError(f"邮件发送失败：{exc}") from None


def send_batch(db: Database, gateways: Mapping[str, Gateway], *, limit: int = 20, lease_s: float = 120.0,
               backoff_s: float = notices.DEFAULT_BACKOFF_S,
               max_attempts: int = notices.MAX_ATTEMPTS) -> tuple[int, int]:
    """One pass: ``(sent, failed)``."""
    sent = failed = 0
    notices.enqueue_reminders(db)
    for msg in notices.claim_due(db, gateways.keys(), limit, lease_s):
        try:
            gateways[msg.channel].send(msg)
        except GatewayError as exc:
            state = notices.mark_failed(db, msg.id, str(exc), permanent=exc.permanent,
                                        backoff_s=backoff_s, max_attempts=max_attempts)
            log.warning("notice %s not sent (%s): %s", msg.id, state, exc)
            failed += 1
            continue
        notices.mark_sent(db, msg.id)
        sent += 1
    return sent, failed


def run(db: Database, gateways: Mapping[str, Gateway], *, once: bool = False, poll_s: float = 2.0,
        limit: int = 20, lease_s: float = 120.0, backoff_s: float = notices.DEFAULT_BACKOFF_S,
        max_attempts: int = notices.MAX_ATTEMPTS) -> int:
    """Send until stopped (or one pass with ``once``); returns messages sent.
    The other options are :func:`send_batch`'s."""
    total = 0
    while True:
        sent, _failed = send_batch(db, gateways, limit=limit, lease_s=lease_s, backoff_s=backoff_s,
                                   max_attempts=max_attempts)
        total += sent
        if once:
            return total
        if not sent:
            time.sleep(poll_s)
