"""The visitors' status page on the hall's LAN (``hall-admin serve``).

Standard library only: a threading HTTP server in front of
:func:`hall.services.status.lookup`. What it promises:

* masked data only (the service layer builds the page; see ``StatusPage``);
* rate-limited per client address (``429`` with a Chinese sentence);
* an unknown, retired or malformed token is a plain ``404`` "not found",
  and every token answer is held to the same minimum response time, so a
  found and a not-found token cannot be told apart by timing;
* ``status.enabled`` off (admin) → ``503`` for every page.
"""
from __future__ import annotations

import html
import json
import logging
import re
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from hall.services import notices, status
from hall.store.db import Database

log = logging.getLogger("hall.status_server")

_TOKEN_RE = re.compile(r"^/s/([A-Za-z0-9_-]{1,64})(\.json)?$")
_UNSUB_RE = re.compile(r"^/u/([A-Za-z0-9_-]{1,64})$")


class RateLimiter:
    """At most ``limit`` requests per ``window_s`` seconds per client address."""

    def __init__(self, limit: int = 30, window_s: float = 60.0):
        self.limit, self.window_s = limit, window_s
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            q = self._hits.setdefault(client, deque())
            while q and now - q[0] > self.window_s:
                q.popleft()
            if len(q) >= self.limit:
                return False
            q.append(now)
            if len(self._hits) > 10_000:  # forget idle clients
                for k in [k for k, v in self._hits.items() if not v][:5000]:
                    del self._hits[k]
            return True


_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;margin:0;
background:#f3f5f8;color:#1d2733}
header{background:#1f4e79;color:#fff;padding:14px 18px;font-size:17px}
main{padding:16px}
.card{background:#fff;border-radius:12px;padding:18px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:24px;margin:0 0 6px}
.head{font-size:20px;font-weight:bold;margin:10px 0 14px;color:#1f4e79}
.near{color:#b35900}
dl{display:grid;grid-template-columns:auto 1fr;gap:8px 14px;margin:0;font-size:17px}
dt{color:#5b6875}dd{margin:0;font-weight:bold}
.advice{font-size:14px;color:#5b6875;margin-top:16px;line-height:1.6}
footer{font-size:12px;color:#8793a0;padding:8px 16px 20px}
"""


def render_page(page: status.StatusPage) -> str:
    e = html.escape
    rows = "".join(f"<dt>{e(line.label)}</dt><dd>{e(line.value)}</dd>" for line in page.lines)
    advice = f'<p class="advice">{e(page.advice)}</p>' if page.advice else ""
    head_cls = "head near" if page.near else "head"
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta http-equiv="refresh" content="30"><title>{e(page.title)}</title>'
            f'<style>{_CSS}</style></head><body><header>{e(page.centre_name or "服务大厅")} · 进度查询</header>'
            f'<main><div class="card"><h1>{e(page.title)}</h1><div class="{head_cls}">{e(page.headline)}</div>'
            f'<dl>{rows}</dl>{advice}</div></main>'
            f'<footer>本页每 30 秒自动刷新；页面不显示姓名、证件号、电话和纠纷内容。</footer></body></html>')


def _plain(title: str, text: str) -> str:
    e = html.escape
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{e(title)}</title>'
            f'<style>{_CSS}</style></head><body><main><div class="card"><h1>{e(title)}</h1>'
            f'<p>{text}</p></div></main></body></html>')


NOT_FOUND = _plain("未找到", "没有找到此查询码。请核对二维码或链接，或到服务台咨询。")


class StatusServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], db: Database, *, limiter: RateLimiter | None = None,
                 min_response_s: float = 0.15) -> None:
        super().__init__(address, StatusHandler)
        self.db = db
        self.limiter = limiter or RateLimiter()
        self.min_response_s = min_response_s


class StatusHandler(BaseHTTPRequestHandler):
    server: StatusServer
    server_version = "hall-status"
    sys_version = ""

    def log_message(self, fmt: str, *args: Any) -> None:  # tokens are secrets: log the path kind only
        log.debug("%s %s", self.address_string(), fmt % args if "/s/" not in fmt % args else "status page")

    def _send(self, code: int, body: str, ctype: str = "text/html; charset=utf-8") -> None:
        data = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Robots-Tag", "noindex")
        self.end_headers()
        self.wfile.write(data)

    def _guard(self) -> bool:
        if not self.server.limiter.allow(self.client_address[0]):
            self._send(429, _plain("请稍后再试", "查询过于频繁，请一分钟后再试。"))
            return False
        if not status.is_enabled(self.server.db):
            self._send(503, _plain("查询暂停", "进度查询服务暂时关闭，请到服务台咨询。"))
            return False
        return True

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?", 1)[0]
        if path == "/healthz":
            self._send(200, "ok", "text/plain; charset=utf-8")
            return
        if not self._guard():
            return
        m = _TOKEN_RE.match(path)
        if m or path.startswith("/s/"):
            self._token_page(m)
            return
        u = _UNSUB_RE.match(path)
        if u:
            code = html.escape(u.group(1))
            self._send(200, _plain("退订通知", f'<form method="post" action="/u/{code}">'
                                   f'确认不再接收本号的短信/邮件通知？<br><br>'
                                   f'<button type="submit" style="font-size:18px;padding:8px 20px">确认退订</button></form>'))
            return
        self._send(404, NOT_FOUND)

    def do_POST(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        length = min(int(self.headers.get("Content-Length") or 0), 4096)
        if length:
            parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        if not self._guard():
            return
        u = _UNSUB_RE.match(path)
        ok = u is not None and notices.unsubscribe(self.server.db, u.group(1))
        if ok:
            self._send(200, _plain("已退订", "已退订：此号不会再收到通知。"))
        else:
            self._send(404, NOT_FOUND)

    def _token_page(self, m: re.Match[str] | None) -> None:
        # Same minimum time for every answer, found or not.
        deadline = time.monotonic() + self.server.min_response_s
        page = None
        try:
            page = status.lookup(self.server.db, m.group(1) if m else "")
        except Exception:
            log.exception("status page failed")
            code, body, ctype = 500, _plain("暂时无法查询", "系统繁忙，请稍后再试。"), "text/html; charset=utf-8"
        else:
            if page is None:
                code, body, ctype = 404, NOT_FOUND, "text/html; charset=utf-8"
                if m and m.group(2):
                    body, ctype = json.dumps({"error": "not found"}), "application/json"
            elif m is not None and m.group(2):
                code, body, ctype = 200, json.dumps(page.to_json(), ensure_ascii=False), "application/json"
            else:
                code, body, ctype = 200, render_page(page), "text/html; charset=utf-8"
        rest = deadline - time.monotonic()
        if rest > 0:
            time.sleep(rest)
        self._send(code, body, ctype)


def serve(db: Database, bind: str, port: int, *, limiter: RateLimiter | None = None,
          min_response_s: float = 0.15) -> StatusServer:
    return StatusServer((bind, port), db, limiter=limiter, min_response_s=min_response_s)
